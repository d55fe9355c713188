package io.sensorcast.config;

import java.time.Duration;
import java.util.List;

/**
 * Which inputs the cell sees besides the normalised channel values and the time since the last event, and how
 * each sensor's values are normalised.
 *
 * @param timeOfDay             add sin/cos of the event's UTC time of day
 * @param dayOfWeek             add sin/cos of the event's UTC day of week
 * @param defaultCadenceSeconds cadence assumed for a sensor's forecast timestamps before its second event
 * @param seasons               ISO-8601 durations: for each season and forecast target, the sensor's value one
 *                              season before the target (from its seasonal profile) is an input
 * @param seasonalSmoothing     weight of the newest cycle in each bucket of a seasonal profile (1: the last cycle only)
 * @param normalisationWeight   weight of each new value in a sensor's mean and variance once it has seen more
 *                              than 1 / weight values (before that: the exact running mean and variance)
 */
public record FeatureSettings(boolean timeOfDay, boolean dayOfWeek, double defaultCadenceSeconds, List<String> seasons,
                              double seasonalSmoothing, double normalisationWeight) {

    public static final FeatureSettings DEFAULTS = PipelineConfigLoader.defaults("features", FeatureSettings.class);

    public FeatureSettings {
        seasons = List.copyOf(seasons);
    }

    /** The seasons as durations (the loader has checked each parses). */
    public List<Duration> seasonDurations() {
        return seasons.stream().map(Duration::parse).toList();
    }

    /** Width of the cell's input vector for {@code channels} channels and horizon {@code horizon}. */
    public int inputSize(int channels, int horizon) {
        return baseInputSize(channels) + seasons.size() * (horizon * channels + 1);
    }

    /** Width of the inputs before the seasonal context: values, gap, time of day and day of week. */
    public int baseInputSize(int channels) {
        return channels + 1 + (timeOfDay ? 2 : 0) + (dayOfWeek ? 2 : 0);
    }
}
