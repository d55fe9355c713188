package io.sensorcast.anomaly;

/**
 * How surprising one event was under the forecast its sensor made for it one step earlier.
 *
 * @param scored   false while the sensor is too young to be scored (warm-up); every other field is then empty
 * @param score    the anomaly likelihood in [0, 1], log-scaled: 0.5 means a short-term surprise about 1e-5 likely
 *                 under the sensor's history of surprise, 1 far beyond
 * @param anomaly  true on the event whose score first reaches the threshold (an onset): the score may stay high
 *                 for the following events, which are not flagged again until it has fallen below the threshold
 * @param severity none below the threshold, else low, medium or high by where the score falls above it
 * @param channel  index of the most surprising channel, -1 when unscored
 * @param surprise that channel's surprise: |actual - forecast| over the forecast distribution's scale (the negative
 *                 log of the two-sided tail probability of the arriving value)
 * @param reason   above or below: whether the value came in above or below its forecast; none when unscored
 * @param actual   that channel's value
 * @param expected the point forecast made for it one step earlier
 * @param lower    the 10 % quantile of that forecast (the 80 % band's lower edge)
 * @param upper    the 90 % quantile of that forecast
 */
public record AnomalyScore(boolean scored, double score, boolean anomaly, String severity, int channel,
                           double surprise, String reason, double actual, double expected, double lower, double upper) {

    /** The score of an event that was not scored. */
    public static final AnomalyScore UNSCORED = new AnomalyScore(false, 0.0, false, "none", -1, 0.0, "none",
            Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** The severity of {@code score} against {@code threshold}: thirds of the range above it. */
    public static String severity(double score, double threshold) {
        if (score < threshold) {
            return "none";
        }
        double third = (1 - threshold) / 3;
        return score < threshold + third ? "low" : score < threshold + 2 * third ? "medium" : "high";
    }
}
