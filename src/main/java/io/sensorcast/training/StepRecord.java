package io.sensorcast.training;

/**
 * One served step as the trainer keeps it: the cell's input and what is needed to turn later raw values
 * into targets normalised exactly as this step's forecast was.
 *
 * @param timestampMs event time
 * @param input       the cell's input vector at this step
 * @param values      raw channel values
 * @param mean        per-channel mean used at this step
 * @param std         per-channel effective standard deviation used at this step
 */
public record StepRecord(long timestampMs, float[] input, double[] values, double[] mean, double[] std) {

    /** A record holding copies of the caller's (reused) arrays. */
    public static StepRecord copyOf(long timestampMs, float[] input, double[] values, double[] mean, double[] std) {
        return new StepRecord(timestampMs, input.clone(), values.clone(), mean.clone(), std.clone());
    }
}
