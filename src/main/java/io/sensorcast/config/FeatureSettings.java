package io.sensorcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Which inputs the cell sees besides the normalised channel values and the time since the last event.
 *
 * @param timeOfDay             add sin/cos of the event's UTC time of day
 * @param dayOfWeek             add sin/cos of the event's UTC day of week
 * @param defaultCadenceSeconds cadence assumed for a sensor's forecast timestamps before its second event
 */
public record FeatureSettings(boolean timeOfDay, boolean dayOfWeek, double defaultCadenceSeconds) {

    public static final FeatureSettings DEFAULTS = new FeatureSettings(true, true, 300);

    @JsonCreator
    public FeatureSettings(@JsonProperty("timeOfDay") Boolean timeOfDay,
                           @JsonProperty("dayOfWeek") Boolean dayOfWeek,
                           @JsonProperty("defaultCadenceSeconds") Double defaultCadenceSeconds) {
        this(timeOfDay == null || timeOfDay, dayOfWeek == null || dayOfWeek,
                defaultCadenceSeconds == null ? 300 : defaultCadenceSeconds);
    }

    /** Width of the cell's input vector for {@code channels} channels. */
    public int inputSize(int channels) {
        return channels + 1 + (timeOfDay ? 2 : 0) + (dayOfWeek ? 2 : 0);
    }
}
