package io.sensorcast.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores one sensor's replayed quantile forecasts per horizon: the coverage of every central interval the levels
 * form (a level q below 0.5 with 1 - q also published: the share of actuals between the two quantiles) and the
 * weighted quantile loss, next to the same loss of simple baselines with empirical quantiles.
 *
 * <p>WQL is GluonTS's mean weighted quantile loss (what Chronos reports): per level q, twice the summed pinball loss
 * over the summed absolute actuals, averaged over the levels. A baseline's quantile q at horizon h is its point
 * forecast plus the empirical q-quantile of its last {@link #ERROR_WINDOW} errors at h that were known when the
 * forecast was made (actual minus its point forecast, for targets at or before the forecast row).
 *
 * <p>Pairs are {@link ReplayScores}'s: from {@code scoreFrom}, the target exists, and the longest season's naive
 * value exists, so every method here is scored on the pairs the point errors are.
 */
public final class IntervalScores {

    /** Errors of a baseline that its empirical quantiles are taken from. */
    public static final int ERROR_WINDOW = 500;

    /**
     * One horizon's interval figures.
     *
     * @param coverage     per central interval (in {@link SeriesIntervals#intervals()} order), the share of actuals
     *                     inside it
     * @param wql          the model's weighted quantile loss
     * @param baselineWql  per baseline (in {@link ReplayScores#baselines} order), its WQL with empirical quantiles
     */
    public record HorizonIntervals(int h, int pairs, double[] coverage, double wql, double[] baselineWql) {

        /** Index of the baseline with the lowest WQL (the earlier one on ties), or -1 without pairs. */
        public int bestBaseline() {
            if (pairs == 0) {
                return -1;
            }
            int best = 0;
            for (int b = 1; b < baselineWql.length; b++) {
                if (baselineWql[b] < baselineWql[best]) {
                    best = b;
                }
            }
            return best;
        }

        /** The best baseline's WQL; NaN without pairs. */
        public double bestBaselineWql() {
            int b = bestBaseline();
            return b < 0 ? Double.NaN : baselineWql[b];
        }
    }

    /**
     * One series' interval figures at horizons 1..K.
     *
     * @param intervals central intervals as {lower level, upper level}, widest first
     */
    public record SeriesIntervals(String series, double[] levels, List<double[]> intervals,
                                  List<HorizonIntervals> horizons) {

        public HorizonIntervals at(int h) {
            return horizons.get(h - 1);
        }

        /** Index of the interval with nominal coverage {@code nominal}, or -1 when the levels do not form it. */
        public int interval(double nominal) {
            for (int j = 0; j < intervals.size(); j++) {
                if (Math.abs(intervals.get(j)[1] - intervals.get(j)[0] - nominal) < 1e-9) {
                    return j;
                }
            }
            return -1;
        }
    }

    private IntervalScores() {
    }

    /** The central intervals {@code levels} (ascending) form, widest first. */
    public static List<double[]> intervals(double[] levels) {
        List<double[]> out = new ArrayList<>();
        for (double lo : levels) {
            if (lo < 0.5 && indexOf(levels, 1 - lo) >= 0) {
                out.add(new double[]{lo, 1 - lo});
            }
        }
        return out;
    }

    /**
     * @param rows      one sensor's rows in time order; their quantiles are level-major over horizon x channels
     * @param levels    the quantile levels, ascending
     * @param baselines from {@link ReplayScores#baselines}, persistence first
     */
    public static SeriesIntervals score(String series, List<ReplayRunner.Row> rows, double[] levels, int horizon,
                                        int channel, int channels, List<ReplayScores.Baseline> baselines,
                                        int scoreFrom) {
        List<double[]> intervals = intervals(levels);
        int size = horizon * channels;
        long longestSeasonMs = ReplayScores.longestSeasonMs(baselines);
        List<HorizonIntervals> out = new ArrayList<>(horizon);
        for (int h = 1; h <= horizon; h++) {
            int o = (h - 1) * channels + channel;
            int pairs = 0;
            int[] inside = new int[intervals.size()];
            double[] pinball = new double[levels.length];
            double absActual = 0;
            double[][] basePinball = new double[baselines.size()][levels.length];
            SortedWindow[] errors = new SortedWindow[baselines.size()];
            int[] seasonIndex = new int[baselines.size()];
            for (int b = 0; b < errors.length; b++) {
                errors[b] = new SortedWindow(ERROR_WINDOW);
            }
            double[] basePoint = new double[baselines.size()];
            // basePoints[b][i]: baseline b's point forecast made at row i for row i + h.
            double[][] basePoints = new double[baselines.size()][rows.size()];
            for (int i = 0; i + h < rows.size(); i++) {
                ReplayRunner.Row target = rows.get(i + h);
                for (int b = 0; b < baselines.size(); b++) {
                    if (baselines.get(b) instanceof ReplayScores.SeasonalNaive s) {
                        seasonIndex[b] = ReplayScores.latestAtOrBefore(rows, seasonIndex[b],
                                target.timestampMs() - s.season().toMillis(), i);
                        basePoint[b] = rows.get(seasonIndex[b]).actual()[channel];
                    } else {
                        basePoint[b] = rows.get(i).actual()[channel];
                    }
                    basePoints[b][i] = basePoint[b];
                    // The error of the forecast made h rows ago is known now: its target is this row.
                    if (i - h >= 0) {
                        errors[b].add(rows.get(i).actual()[channel] - basePoints[b][i - h]);
                    }
                }
                if (i < scoreFrom || target.timestampMs() - longestSeasonMs < rows.get(0).timestampMs()) {
                    continue;
                }
                ReplayRunner.Row row = rows.get(i);
                double actual = target.actual()[channel];
                pairs++;
                absActual += Math.abs(actual);
                for (int q = 0; q < levels.length; q++) {
                    pinball[q] += pinball(actual, row.quantiles()[q * size + o], levels[q]);
                    for (int b = 0; b < baselines.size(); b++) {
                        basePinball[b][q] += pinball(actual, basePoint[b] + errors[b].quantile(levels[q]), levels[q]);
                    }
                }
                for (int j = 0; j < intervals.size(); j++) {
                    double lo = row.quantiles()[indexOf(levels, intervals.get(j)[0]) * size + o];
                    double hi = row.quantiles()[indexOf(levels, intervals.get(j)[1]) * size + o];
                    inside[j] += actual >= lo && actual <= hi ? 1 : 0;
                }
            }
            double[] coverage = new double[intervals.size()];
            for (int j = 0; j < coverage.length; j++) {
                coverage[j] = pairs == 0 ? Double.NaN : (double) inside[j] / pairs;
            }
            double[] baseWql = new double[baselines.size()];
            for (int b = 0; b < baseWql.length; b++) {
                baseWql[b] = wql(basePinball[b], absActual, pairs);
            }
            out.add(new HorizonIntervals(h, pairs, coverage, wql(pinball, absActual, pairs), baseWql));
        }
        return new SeriesIntervals(series, levels.clone(), intervals, out);
    }

    /** The pinball (quantile) loss of forecasting {@code quantile} at level {@code q} for {@code actual}. */
    static double pinball(double actual, double quantile, double q) {
        double e = actual - quantile;
        return e >= 0 ? q * e : (q - 1) * e;
    }

    private static double wql(double[] pinball, double absActual, int pairs) {
        if (pairs == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double p : pinball) {
            sum += 2 * p / absActual;
        }
        return sum / pinball.length;
    }

    private static int indexOf(double[] levels, double level) {
        for (int q = 0; q < levels.length; q++) {
            if (Math.abs(levels[q] - level) < 1e-9) {
                return q;
            }
        }
        return -1;
    }

    /** The last {@code capacity} values added, kept sorted too, for their empirical quantiles. */
    static final class SortedWindow {
        private final double[] ring;
        private final double[] sorted;
        private int count;
        private int head;

        SortedWindow(int capacity) {
            this.ring = new double[capacity];
            this.sorted = new double[capacity];
        }

        void add(double v) {
            if (!Double.isFinite(v)) {
                return;
            }
            if (count == ring.length) {
                double old = ring[head];
                int at = Arrays.binarySearch(sorted, 0, count, old);
                System.arraycopy(sorted, at + 1, sorted, at, count - at - 1);
                count--;
            }
            ring[head] = v;
            head = (head + 1) % ring.length;
            int at = Arrays.binarySearch(sorted, 0, count, v);
            at = at < 0 ? -at - 1 : at;
            System.arraycopy(sorted, at, sorted, at + 1, count - at);
            sorted[at] = v;
            count++;
        }

        /** The empirical q-quantile, linearly interpolated between order statistics; 0 while empty. */
        double quantile(double q) {
            if (count == 0) {
                return 0.0;
            }
            double pos = q * (count - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(count - 1, lo + 1);
            return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
        }
    }
}
