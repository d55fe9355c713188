package io.sensorcast.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * How the model did across series, per horizon: the geometric mean over series of model MAE / best-baseline
 * MAE and of model MAE / persistence MAE, and on how many series each ratio is below 1 (a win).
 *
 * <p>The geometric mean because the ratios are relative: a series where the model halves the error and one
 * where it doubles it cancel out, whatever the series' scales. A series enters a horizon's summary only when
 * both its ratios there are finite and positive; otherwise it is left out of that horizon and named in
 * {@link HorizonSummary#leftOut()} with the reason (no scored pairs, or a zero baseline or model MAE).
 *
 * @param horizons one entry per horizon h = 1..K, in order
 */
public record ReplaySummary(List<HorizonSummary> horizons) {

    public ReplaySummary {
        horizons = List.copyOf(horizons);
    }

    /**
     * The summary at horizon {@code h}.
     *
     * @param series               how many series entered it (N)
     * @param geoMeanToBest        geometric mean of model MAE / best-baseline MAE; NaN when N is 0
     * @param winsOverBest         series with model MAE below the best baseline's
     * @param geoMeanToPersistence geometric mean of model MAE / persistence MAE; NaN when N is 0
     * @param winsOverPersistence  series with model MAE below persistence's
     * @param leftOut              series left out, each as {@code name (reason)}, in input order
     */
    public record HorizonSummary(int h, int series, double geoMeanToBest, int winsOverBest,
                                 double geoMeanToPersistence, int winsOverPersistence, List<String> leftOut) {
        public HorizonSummary {
            leftOut = List.copyOf(leftOut);
        }
    }

    /** Summarises {@code scores} (one entry per series, same horizon K for all) horizon by horizon. */
    public static ReplaySummary of(List<ReplayScores.SeriesScores> scores) {
        int horizon = scores.stream().mapToInt(s -> s.horizons().size()).max().orElse(0);
        List<HorizonSummary> out = new ArrayList<>(horizon);
        for (int h = 1; h <= horizon; h++) {
            int n = 0;
            double logBest = 0;
            double logPersistence = 0;
            int winsBest = 0;
            int winsPersistence = 0;
            List<String> leftOut = new ArrayList<>();
            for (ReplayScores.SeriesScores s : scores) {
                if (s.horizons().size() < h || s.at(h).pairs() == 0) {
                    leftOut.add(s.series() + " (no scored pairs)");
                    continue;
                }
                double toBest = s.at(h).ratioToBest();
                double toPersistence = s.at(h).ratioToPersistence();
                if (!usable(toBest) || !usable(toPersistence)) {
                    // A zero MAE makes the ratio 0, infinite or undefined: no logarithm to average.
                    leftOut.add(s.series() + " (zero MAE)");
                    continue;
                }
                n++;
                logBest += Math.log(toBest);
                logPersistence += Math.log(toPersistence);
                winsBest += toBest < 1 ? 1 : 0;
                winsPersistence += toPersistence < 1 ? 1 : 0;
            }
            out.add(new HorizonSummary(h, n, n == 0 ? Double.NaN : Math.exp(logBest / n), winsBest,
                    n == 0 ? Double.NaN : Math.exp(logPersistence / n), winsPersistence, leftOut));
        }
        return new ReplaySummary(out);
    }

    /** The summary at horizon {@code h} (1-based). */
    public HorizonSummary at(int h) {
        return horizons.get(h - 1);
    }

    private static boolean usable(double ratio) {
        return ratio > 0 && Double.isFinite(ratio);
    }
}
