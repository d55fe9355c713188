package io.sensorcast.forecast;

/**
 * Receives what each serving step computed, so the online trainer learns from exactly the inputs
 * served. Arrays are the caller's scratch buffers: copy what you keep. Called on the stream thread:
 * implementations must not block.
 */
@FunctionalInterface
public interface StepListener {

    /** A listener that keeps nothing. */
    StepListener NONE = (sensorId, step, timestampMs, input, values, mean, std) -> { };

    /**
     * @param sensorId    the key
     * @param step        the key's step number
     * @param timestampMs event time
     * @param input       the cell's input vector for this step
     * @param values      the raw channel values
     * @param mean        per-channel mean used to normalise this step
     * @param std         per-channel effective standard deviation used to normalise this step
     */
    void onStep(String sensorId, long step, long timestampMs, float[] input, double[] values, double[] mean,
                double[] std);

    /** The service forgot the sensor (a forget control record, or idle eviction): drop what is kept of it. */
    default void forgotten(String sensorId) {
    }
}
