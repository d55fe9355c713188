package io.sensorcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.List;

/**
 * Which inputs the cell sees besides the normalised channel values and the time since the last event.
 *
 * @param timeOfDay             add sin/cos of the event's UTC time of day
 * @param dayOfWeek             add sin/cos of the event's UTC day of week
 * @param defaultCadenceSeconds cadence assumed for a sensor's forecast timestamps before its second event
 * @param seasons               seasonal context: for each season and forecast target, the sensor's value one season
 *                              before the target (from its seasonal profile) is an input
 */
public record FeatureSettings(boolean timeOfDay, boolean dayOfWeek, double defaultCadenceSeconds, List<Duration> seasons) {

    /** One day and one week: the cycles of most sensors that people and machines drive. */
    public static final List<Duration> DEFAULT_SEASONS = List.of(Duration.ofDays(1), Duration.ofDays(7));

    public static final FeatureSettings DEFAULTS = new FeatureSettings(true, true, 300.0, DEFAULT_SEASONS);

    public FeatureSettings(boolean timeOfDay, boolean dayOfWeek, double defaultCadenceSeconds, List<Duration> seasons) {
        this.timeOfDay = timeOfDay;
        this.dayOfWeek = dayOfWeek;
        this.defaultCadenceSeconds = defaultCadenceSeconds;
        this.seasons = List.copyOf(seasons);
    }

    @JsonCreator
    public FeatureSettings(@JsonProperty("timeOfDay") Boolean timeOfDay,
                           @JsonProperty("dayOfWeek") Boolean dayOfWeek,
                           @JsonProperty("defaultCadenceSeconds") Double defaultCadenceSeconds,
                           @JsonProperty("seasons") List<String> seasons) {
        this(timeOfDay == null || timeOfDay, dayOfWeek == null || dayOfWeek,
                defaultCadenceSeconds == null ? 300 : defaultCadenceSeconds,
                seasons == null ? DEFAULT_SEASONS : parse(seasons));
    }

    private static List<Duration> parse(List<String> seasons) {
        List<Duration> out = new java.util.ArrayList<>();
        for (String s : seasons) {
            try {
                out.add(Duration.parse(s));
            } catch (RuntimeException e) {
                throw new ConfigException("features.seasons: '" + s + "' is not an ISO-8601 duration; allowed: "
                        + PipelineConfigLoader.SEASONS_ALLOWED);
            }
        }
        return out;
    }

    /** Width of the cell's input vector for {@code channels} channels and horizon {@code horizon}. */
    public int inputSize(int channels, int horizon) {
        return channels + 1 + (timeOfDay ? 2 : 0) + (dayOfWeek ? 2 : 0) + seasons.size() * (horizon * channels + 1);
    }
}
