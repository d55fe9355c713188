package io.sensorcast.config;

/**
 * Which inputs the cell sees besides the normalised channel values and the time since the last event.
 *
 * @param timeOfDay             add sin/cos of the event's UTC time of day
 * @param dayOfWeek             add sin/cos of the event's UTC day of week
 * @param defaultCadenceSeconds cadence assumed for a sensor's forecast timestamps before its second event
 */
public record FeatureSettings(boolean timeOfDay, boolean dayOfWeek, double defaultCadenceSeconds) {

    public static final FeatureSettings DEFAULTS = PipelineConfigLoader.defaults("features", FeatureSettings.class);

    /** Width of the cell's input vector for {@code channels} channels. */
    public int inputSize(int channels) {
        return channels + 1 + (timeOfDay ? 2 : 0) + (dayOfWeek ? 2 : 0);
    }
}
