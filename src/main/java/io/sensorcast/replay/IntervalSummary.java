package io.sensorcast.replay;

import java.util.ArrayList;
import java.util.List;

/**
 * How the intervals did across series, per horizon: the coverage of one central interval over all pairs of all
 * series, how many series kept their own coverage within a band, and the geometric mean over series of model WQL /
 * best-baseline WQL with the series where the model's is lower.
 *
 * @param horizons one entry per horizon h = 1..K
 */
public record IntervalSummary(List<HorizonSummary> horizons) {

    public IntervalSummary {
        horizons = List.copyOf(horizons);
    }

    /**
     * @param series          series with pairs at this horizon (and a finite, positive WQL ratio)
     * @param pooledCoverage  share of all their actuals inside the interval
     * @param seriesWithin    series whose coverage lies within the band
     * @param geoMeanWqlRatio geometric mean of model WQL / best-baseline WQL
     * @param wins            series where that ratio is below 1
     */
    public record HorizonSummary(int h, int series, double pooledCoverage, int seriesWithin, double geoMeanWqlRatio,
                                 int wins) {
    }

    /** Summarises the interval of nominal coverage {@code nominal}, counting series within [low, high]. */
    public static IntervalSummary of(List<IntervalScores.SeriesIntervals> scores, double nominal, double low, double high) {
        int horizon = scores.stream().mapToInt(s -> s.horizons().size()).max().orElse(0);
        List<HorizonSummary> out = new ArrayList<>(horizon);
        for (int h = 1; h <= horizon; h++) {
            int n = 0;
            long pairs = 0;
            double inside = 0;
            int within = 0;
            double logRatio = 0;
            int wins = 0;
            for (IntervalScores.SeriesIntervals s : scores) {
                int j = s.interval(nominal);
                if (j < 0 || s.horizons().size() < h || s.at(h).pairs() == 0) {
                    continue;
                }
                IntervalScores.HorizonIntervals a = s.at(h);
                double ratio = a.wql() / a.bestBaselineWql();
                if (!(ratio > 0) || Double.isInfinite(ratio)) {
                    continue;
                }
                n++;
                pairs += a.pairs();
                inside += a.coverage()[j] * a.pairs();
                within += a.coverage()[j] >= low && a.coverage()[j] <= high ? 1 : 0;
                logRatio += Math.log(ratio);
                wins += ratio < 1 ? 1 : 0;
            }
            out.add(new HorizonSummary(h, n, pairs == 0 ? Double.NaN : inside / pairs, within,
                    n == 0 ? Double.NaN : Math.exp(logRatio / n), wins));
        }
        return new IntervalSummary(out);
    }
}
