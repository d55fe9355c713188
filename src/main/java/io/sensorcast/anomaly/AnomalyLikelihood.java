package io.sensorcast.anomaly;

import io.sensorcast.config.AnomalySettings;
import io.sensorcast.state.SensorState;

/**
 * Scores each arriving event against the forecast distributions its sensor published for it: the event's surprise is
 * the negative log of the two-sided tail probability of its value under the Laplace distribution of a forecast (in
 * units of that forecast's scale), the least over the forecasts steps n - 1 .. n - K made for it (surprising only if
 * none foresaw it), the largest over channels. How likely that surprise is comes from the sensor's own history of
 * surprise beyond its 80 % band, as extreme-value practice does it (peaks over a threshold): how often surprise
 * leaves the band, and a generalised Pareto tail fitted by moments to the excesses. That tail probability, times
 * Laplace tails for how far the value lies beyond the sensor's recent range (novelty) and from its long-run mean
 * (beyond a margin), log-scaled as Numenta's anomaly likelihood is, is the score, discounted by the sensor's recent
 * peak score (a refractory period).
 *
 * <p>Judging by the sensor's own history of surprise is what lets a level shift be flagged once and then learnt:
 * the forecast follows the new level within a step or two, and later events at the new level are no surprise; the
 * long-run level takes the shift in within a few hundred events, and the refractory discount covers the meantime.
 * A flag marks an onset: the event whose score first reaches the threshold, not every following event while the
 * score stays above it. Measured on the NAB series against Numenta's form (a short-term average of surprise compared
 * with its long-term mean and spread), which kept the score high for a dozen events after every surprise and scored
 * lower there (docs/anomalies.md).
 *
 * <p>The memory lives in {@link SensorState#surprise} and {@link SensorState#level} and survives restarts with the
 * sensor. Not thread-safe: it keeps per-channel scratch arrays so the per-event path allocates nothing; one per
 * forecaster.
 */
public final class AnomalyLikelihood {

    /** A single surprise counts at most this much (a tail probability of e^-50), so one value cannot own the history. */
    static final double MAX_SURPRISE = 50.0;
    /** The log-scaling of the likelihood: a tail probability of 1e-10 or less scores about 1, as in Numenta's. */
    private static final double LOG_FLOOR = 1e-10;
    /** Half-width of a standard Laplace distribution's central 80 %, ln 5: the published band around the forecast. */
    private static final double BAND_HALF_WIDTH = Math.log(5);

    /** Surprise where the tail starts: the edge of the published 80 % band, ln 5. */
    static final double TAIL_START = Math.log(5);
    /** Before a sensor has history: one event in five beyond the band (what the band is kept at)... */
    private static final double PRIOR_RATE = 0.2;
    /** ...and excesses beyond it of mean 1 (a calibrated Laplace distribution's)... */
    private static final double PRIOR_TAIL = 1.0;
    /** ...worth this many observations. */
    private static final double PRIOR_WEIGHT = 5.0;
    /** An excess is learnt as at most this many mean excesses. */
    private static final double EXTREME = 10.0;
    /** The tail's shape stays below this (a finite variance); 0 is an exponential tail. */
    private static final double MAX_SHAPE = 0.45;

    private static final int RATE = 0;
    private static final int RATE_WEIGHT = 1;
    private static final int EXCESS = 2;
    private static final int EXCESS_SQUARES = 3;
    private static final int EXCESS_WEIGHT = 4;

    private static final int MEAN = 0;
    private static final int DEVIATION = 1;
    private static final int HIGH = 2;
    private static final int LOW = 3;
    /**
     * The anomaly peak's decay per scored event: half-life about 34 events. Chosen on the NAB corpus among 0.95, 0.98
     * and 0.99 (docs/anomalies.md); it is the score's one memory of recent incidents.
     */
    static final double PEAK_DECAY = 0.98;
    /**
     * Distance from the sensor's long-run mean counts only beyond this many mean absolute deviations (a Laplace tail
     * of e^-6, 0.25 %): nearer, a value is ordinary for the sensor however the forecast judged it. Chosen on the NAB
     * corpus, the middle of a plateau from 5 to 7 on both halves of it (docs/anomalies.md).
     */
    static final double LEVEL_MARGIN = 6.0;
    /** Novelty in mean absolute deviations per unit of score: ln 1e10, so it adds as the log of a probability. */
    private static final double LOG_SPAN = -Math.log(LOG_FLOOR);

    private final double threshold;
    private final double longAlpha;
    private final int warmup;
    /** Per-channel scratch of one call, grown to the widest sensor seen. */
    private double[] unusual = new double[1];
    private double[] surprises = new double[1];

    public AnomalyLikelihood(AnomalySettings settings) {
        this.threshold = settings.threshold();
        this.longAlpha = 1.0 / settings.longWindow();
        this.warmup = settings.warmup();
    }

    /**
     * Scores the event arriving as step {@code n} with {@code values}, before the sensor's rings are overwritten by
     * step n's forecast, and advances the sensor's surprise memory.
     */
    public AnomalyScore score(SensorState state, long n, double[] values) {
        // The level evidence is read before this value moves the range and the mean, which learn every value, scored
        // or not.
        if (unusual.length < state.channels()) {
            unusual = new double[state.channels()];
            surprises = new double[state.channels()];
        }
        for (int ch = 0; ch < state.channels(); ch++) {
            unusual[ch] = novelty(state.level, ch, values[ch]) + levelExcess(state.level, ch, values[ch]);
            learnLevel(state.level, ch, values[ch], n);
        }
        if (n < 2) {
            return AnomalyScore.UNSCORED;
        }
        int horizon = state.horizon();
        int size = state.lastForecast.length;
        int slot = (int) ((n - 1) % horizon);
        double surprise = -1;
        for (int ch = 0; ch < state.channels(); ch++) {
            double scale = state.recentSpreads[slot * size + ch];
            double e = values[ch] - state.recentPoints[slot * size + ch];
            surprises[ch] = -1;
            if (Double.isNaN(scale) || !Double.isFinite(e)) {
                continue;
            }
            // Surprising only if no recent forecast foresaw it: the least surprise against any of the forecasts
            // steps n - k made for this event. The value after a spike, back where it was, was foreseen by the
            // forecasts made before the spike; a level shift's first value was foreseen by none.
            double s = surprise(e, scale);
            for (int k = 2; k <= horizon && n - k >= 1; k++) {
                int older = (int) ((n - k) % horizon) * size + (k - 1) * state.channels() + ch;
                double olderScale = state.recentSpreads[older];
                double olderError = values[ch] - state.recentPoints[older];
                if (!Double.isNaN(olderScale) && Double.isFinite(olderError)) {
                    s = Math.min(s, surprise(olderError, olderScale));
                }
            }
            surprises[ch] = s;
            surprise = Math.max(surprise, s);
        }
        if (surprise < 0) {
            return AnomalyScore.UNSCORED;
        }
        Tail tail = tail(state.surprise);
        boolean scored = n > warmup;
        // Per channel, the joint evidence of the ways a value can be unusual, as independent tail probabilities
        // multiply: unforeseen by the forecasts, beyond the sensor's recent range, far from its long-run mean.
        int channel = -1;
        double score = -1;
        for (int ch = 0; ch < state.channels(); ch++) {
            if (surprises[ch] < 0) {
                continue;
            }
            double s = Math.min(1.0, logScaled(tail.probability(surprises[ch])) + unusual[ch] / LOG_SPAN);
            if (s > score) {
                score = s;
                channel = ch;
            }
        }
        learnSurprise(state.surprise, surprise, tail.mean, n);
        if (!scored) {
            return AnomalyScore.UNSCORED;
        }
        // A refractory period: the events after a high score belong to the same incident as far as anyone can
        // tell, so their evidence is discounted by how high the sensor scored lately. The peak learns the
        // undiscounted score, so an incident that goes on keeps its later events discounted.
        double evidence = score;
        score *= 1 - state.anomalyPeak;
        state.anomalyPeak = Math.max(evidence, state.anomalyPeak * PEAK_DECAY);
        double expected = state.recentPoints[slot * size + channel];
        double band = state.recentSpreads[slot * size + channel] * BAND_HALF_WIDTH;
        double error = values[channel] - expected;
        boolean above = score >= threshold;
        boolean onset = above && !state.anomalyActive;
        state.anomalyActive = above;
        return new AnomalyScore(true, score, onset, AnomalyScore.severity(score, threshold), channel,
                surprises[channel], error >= 0 ? "above" : "below", values[channel], expected, expected - band,
                expected + band);
    }

    /** The tail of a sensor's surprise beyond the band: how often surprise leaves it, and the excesses' shape. */
    private record Tail(double rate, double mean, double shape, double scale) {

        /** The probability of a surprise of at least {@code surprise}: 1 within the band. */
        double probability(double surprise) {
            double excess = surprise - TAIL_START;
            if (excess <= 0) {
                return 1.0;
            }
            return shape < 1e-6 ? rate * Math.exp(-excess / scale)
                    : rate * Math.pow(1 + shape * excess / scale, -1 / shape);
        }
    }

    /**
     * The tail beyond the band as a generalised Pareto distribution fitted by moments to the sensor's excesses
     * (prior: an exponential tail of scale 1, a calibrated Laplace's): sensors with bursty errors get a heavier tail,
     * so their usual bursts are less surprising than the same excess on a quiet sensor.
     */
    private static Tail tail(double[] m) {
        double rate = (m[RATE] + PRIOR_WEIGHT * PRIOR_RATE) / (m[RATE_WEIGHT] + PRIOR_WEIGHT);
        double mean = (m[EXCESS] + PRIOR_WEIGHT * PRIOR_TAIL) / (m[EXCESS_WEIGHT] + PRIOR_WEIGHT);
        double meanSquare = (m[EXCESS_SQUARES] + PRIOR_WEIGHT * 2 * PRIOR_TAIL * PRIOR_TAIL)
                / (m[EXCESS_WEIGHT] + PRIOR_WEIGHT);
        double variance = Math.max(meanSquare - mean * mean, 1e-12);
        double shape = Math.max(0.0, Math.min(MAX_SHAPE, 0.5 * (1 - mean * mean / variance)));
        return new Tail(rate, mean, shape, 0.5 * mean * (1 + mean * mean / variance));
    }

    /**
     * Learns the event's surprise after scoring, so an event is never compared with itself; from half-way through
     * the warm-up, once the error scales have settled (a cold sensor's first surprises mean nothing). An excess is
     * learnt as at most EXTREME mean excesses, so one anomaly does not blind the sensor to the next.
     */
    private void learnSurprise(double[] m, double surprise, double meanExcess, long n) {
        if (n <= warmup / 2) {
            return;
        }
        double excess = surprise - TAIL_START;
        m[RATE] = (1 - longAlpha) * m[RATE] + (excess > 0 ? 1 : 0);
        m[RATE_WEIGHT] = (1 - longAlpha) * m[RATE_WEIGHT] + 1;
        if (excess > 0) {
            double learnt = Math.min(excess, EXTREME * meanExcess);
            m[EXCESS] = (1 - longAlpha) * m[EXCESS] + learnt;
            m[EXCESS_SQUARES] = (1 - longAlpha) * m[EXCESS_SQUARES] + learnt * learnt;
            m[EXCESS_WEIGHT] = (1 - longAlpha) * m[EXCESS_WEIGHT] + 1;
        }
    }

    /**
     * How far {@code value} lies beyond channel {@code ch}'s recent range, in mean absolute deviations: 0 inside it.
     * Read as the negative log of a Laplace tail, it is the evidence a value the sensor has not shown lately adds,
     * whatever the forecast made of it. A level shift is novel once: its first value widens the range.
     */
    static double novelty(double[] level, int ch, double value) {
        int at = ch * SensorState.LEVEL_SLOTS;
        double deviation = level[at + DEVIATION];
        if (!(deviation > 0) || !Double.isFinite(value)) {
            return 0.0;
        }
        double beyond = Math.max(0.0, Math.max(value - level[at + HIGH], level[at + LOW] - value));
        return Math.min(MAX_SURPRISE, beyond / deviation);
    }

    /**
     * How far {@code value} lies from channel {@code ch}'s long-run mean beyond LEVEL_MARGIN, in mean absolute
     * deviations: 0 within the margin. Read as the negative log of a Laplace tail beyond the margin, it is the
     * rolling z-score's evidence (a value unlike the sensor's usual level) on the scale of the other terms. After
     * a level shift it stays up while the mean and deviation take the new level in (about 150 events for a shift
     * of 37 deviations, tested); the refractory discount keeps those events from being flagged again.
     */
    static double levelExcess(double[] level, int ch, double value) {
        int at = ch * SensorState.LEVEL_SLOTS;
        double deviation = level[at + DEVIATION];
        if (!(deviation > 0) || !Double.isFinite(value)) {
            return 0.0;
        }
        return Math.max(0.0, Math.min(MAX_SURPRISE, Math.abs(value - level[at + MEAN]) / deviation) - LEVEL_MARGIN);
    }

    /**
     * Learns channel {@code ch}'s range from the {@code n}-th value: the mean and mean absolute deviation over about
     * {@code anomaly.longWindow} events (exact running means while younger), and the high and low, which any value
     * beyond them moves and which otherwise relax towards the mean at the same rate, so an old extreme is forgotten.
     */
    private void learnLevel(double[] level, int ch, double value, long n) {
        if (!Double.isFinite(value)) {
            return;
        }
        int at = ch * SensorState.LEVEL_SLOTS;
        if (Double.isNaN(level[at + MEAN])) {
            level[at + MEAN] = value;
            level[at + DEVIATION] = 0.0;
            level[at + HIGH] = value;
            level[at + LOW] = value;
            return;
        }
        double w = Math.max(longAlpha, 1.0 / Math.max(1, n));
        double mean = level[at + MEAN];
        level[at + DEVIATION] += w * (Math.abs(value - mean) - level[at + DEVIATION]);
        mean += w * (value - mean);
        level[at + MEAN] = mean;
        level[at + HIGH] = Math.max(value, level[at + HIGH] - w * (level[at + HIGH] - mean));
        level[at + LOW] = Math.min(value, level[at + LOW] + w * (mean - level[at + LOW]));
    }

    /** The surprise of an error of {@code error} at Laplace scale {@code scale}: |error| / scale, capped. */
    static double surprise(double error, double scale) {
        double a = Math.abs(error);
        if (!(scale > 0)) {
            return a == 0 ? 0.0 : MAX_SURPRISE;
        }
        return Math.min(MAX_SURPRISE, a / scale);
    }

    /** Numenta's log-scaling of a likelihood: tail 1 scores 0, tail 1e-10 about 0.97, tail 0 exactly 1. */
    static double logScaled(double tail) {
        return Math.min(1.0, Math.max(0.0, Math.log(tail + LOG_FLOOR) / Math.log(LOG_FLOOR)));
    }
}
