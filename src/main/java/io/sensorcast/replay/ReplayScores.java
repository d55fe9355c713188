package io.sensorcast.replay;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Scores one sensor's replayed forecasts against what then arrived, per horizon, next to simple baselines:
 * persistence (the value at forecast time) and one seasonal naive per season (by default daily, P1D, and
 * weekly, P7D).
 *
 * <p>Seasonal naive for target time T and season S is the latest value at or before T - S; the series may
 * be irregular, so that is the newest row whose timestamp is at most T - S, whatever its distance from it.
 * The value must also be known when the forecast is made: when a gap makes T - S fall after the forecast
 * time, the forecast-time value is used (it is then the latest value at or before T - S that was known).
 *
 * <p>Every method is scored on the same pairs, so their errors are comparable: the rows from
 * {@code scoreFrom} whose target (the row h later) exists and whose longest-season naive value exists
 * (T - longest season is at or after the first row); a shorter season's value then exists too. Early
 * pairs without a week of history are dropped for every method, not only for weekly naive.
 *
 * <p>The best baseline at a horizon is the baseline with the lowest MAE there, chosen in hindsight (ties go
 * to the earlier baseline in {@link #baselines(List)} order: persistence, then shorter seasons first).
 */
public final class ReplayScores {

    /** Errors of one method at one horizon: MAE, NRMSE (RMSE over the actuals' standard deviation) and MAPE (%). */
    public record Errors(double mae, double nrmse, double mape) {
    }

    /** A simple forecaster the model is measured against. */
    public sealed interface Baseline permits Persistence, SeasonalNaive {
        /** A short human name, e.g. {@code weekly naive}. */
        String name();
    }

    /** Forecasts every horizon with the value at forecast time. */
    public record Persistence() implements Baseline {
        @Override
        public String name() {
            return "persistence";
        }
    }

    /** Forecasts target time T with the latest value at or before T - {@code season}. */
    public record SeasonalNaive(Duration season) implements Baseline {
        public SeasonalNaive {
            if (season.isNegative() || season.isZero()) {
                throw new IllegalArgumentException("A season must be positive: " + season);
            }
        }

        @Override
        public String name() {
            if (season.equals(Duration.ofDays(1))) {
                return "daily naive";
            }
            if (season.equals(Duration.ofDays(7))) {
                return "weekly naive";
            }
            return "naive " + season;
        }
    }

    /**
     * Errors of the model and of every baseline at horizon {@code h}, over {@code pairs} forecast/actual pairs.
     * {@code baselines} is in the order of {@link SeriesScores#baselines()}.
     */
    public record HorizonScores(int h, int pairs, Errors model, List<Errors> baselines) {
        public HorizonScores {
            baselines = List.copyOf(baselines);
        }

        /** Persistence's errors (always the first baseline). */
        public Errors persistence() {
            return baselines.get(0);
        }

        /** Index of the baseline with the lowest MAE here (the earlier one on ties), or -1 without pairs. */
        public int bestBaseline() {
            if (pairs == 0) {
                return -1;
            }
            int best = 0;
            for (int b = 1; b < baselines.size(); b++) {
                if (baselines.get(b).mae() < baselines.get(best).mae()) {
                    best = b;
                }
            }
            return best;
        }

        /** The best baseline's errors; NaNs without pairs. */
        public Errors best() {
            int b = bestBaseline();
            return b < 0 ? Accumulator.NONE : baselines.get(b);
        }

        /** Model MAE / best-baseline MAE (MASE-style relative MAE; below 1: the model wins); NaN without pairs. */
        public double ratioToBest() {
            return model.mae() / best().mae();
        }

        /** Model MAE / persistence MAE; NaN without pairs. */
        public double ratioToPersistence() {
            return model.mae() / persistence().mae();
        }
    }

    /** One series' scores at horizons 1..K, with the baselines they were measured against. */
    public record SeriesScores(String series, List<Baseline> baselines, List<HorizonScores> horizons) {
        public SeriesScores {
            baselines = List.copyOf(baselines);
            horizons = List.copyOf(horizons);
        }

        /** The scores at horizon {@code h} (1-based). */
        public HorizonScores at(int h) {
            return horizons.get(h - 1);
        }
    }

    private ReplayScores() {
    }

    /**
     * The baselines for {@code seasons}: persistence first, then one seasonal naive per distinct season,
     * shortest first (the order that breaks ties for the best baseline).
     */
    public static List<Baseline> baselines(List<Duration> seasons) {
        List<Baseline> out = new ArrayList<>();
        out.add(new Persistence());
        seasons.stream().distinct().sorted(Comparator.naturalOrder()).map(SeasonalNaive::new).forEach(out::add);
        return List.copyOf(out);
    }

    /**
     * @param series    the series' name, carried into the result
     * @param rows      one sensor's rows in time order (channel {@code channel} of {@code channels} is scored)
     * @param horizon   K
     * @param baselines from {@link #baselines(List)}
     * @param scoreFrom first row index (within {@code rows}) whose forecasts count
     */
    public static SeriesScores score(String series, List<ReplayRunner.Row> rows, int horizon, int channel, int channels,
                                     List<Baseline> baselines, int scoreFrom) {
        if (baselines.isEmpty() || !(baselines.get(0) instanceof Persistence)) {
            throw new IllegalArgumentException("Persistence must be the first baseline: " + baselines);
        }
        long longestSeasonMs = longestSeasonMs(baselines);
        List<HorizonScores> out = new ArrayList<>(horizon);
        for (int h = 1; h <= horizon; h++) {
            Accumulator model = new Accumulator();
            Accumulator[] base = new Accumulator[baselines.size()];
            int[] seasonIndex = new int[baselines.size()];
            for (int b = 0; b < base.length; b++) {
                base[b] = new Accumulator();
            }
            for (int i = Math.max(0, scoreFrom); i + h < rows.size(); i++) {
                ReplayRunner.Row target = rows.get(i + h);
                if (target.timestampMs() - longestSeasonMs < rows.get(0).timestampMs()) {
                    continue;
                }
                double actual = target.actual()[channel];
                model.add(rows.get(i).forecast()[(h - 1) * channels + channel], actual);
                for (int b = 0; b < base.length; b++) {
                    if (baselines.get(b) instanceof SeasonalNaive s) {
                        seasonIndex[b] = latestAtOrBefore(rows, seasonIndex[b], target.timestampMs() - s.season().toMillis(), i);
                        base[b].add(rows.get(seasonIndex[b]).actual()[channel], actual);
                    } else {
                        base[b].add(rows.get(i).actual()[channel], actual);
                    }
                }
            }
            List<Errors> baseErrors = new ArrayList<>(base.length);
            for (Accumulator a : base) {
                baseErrors.add(a.errors());
            }
            out.add(new HorizonScores(h, model.n, model.errors(), baseErrors));
        }
        return new SeriesScores(series, baselines, out);
    }

    /** The longest season of {@code baselines}' seasonal naives, ms; 0 without one. */
    static long longestSeasonMs(List<Baseline> baselines) {
        long longest = 0;
        for (Baseline b : baselines) {
            if (b instanceof SeasonalNaive s) {
                longest = Math.max(longest, s.season().toMillis());
            }
        }
        return longest;
    }

    /**
     * The newest row at or before {@code wantedMs}, but not after the forecast row {@code known}, searching on
     * from {@code from}: targets move forward in time, so the answer never moves back and one pass suffices.
     */
    static int latestAtOrBefore(List<ReplayRunner.Row> rows, int from, long wantedMs, int known) {
        int at = from;
        while (at + 1 <= known && rows.get(at + 1).timestampMs() <= wantedMs) {
            at++;
        }
        return at;
    }

    private static final class Accumulator {
        static final Errors NONE = new Errors(Double.NaN, Double.NaN, Double.NaN);

        int n;
        double absSum;
        double sqSum;
        double apeSum;
        int apeCount;
        double actualSum;
        double actualSqSum;

        void add(double forecast, double actual) {
            double e = forecast - actual;
            n++;
            absSum += Math.abs(e);
            sqSum += e * e;
            if (actual != 0) {
                apeSum += Math.abs(e / actual);
                apeCount++;
            }
            actualSum += actual;
            actualSqSum += actual * actual;
        }

        Errors errors() {
            if (n == 0) {
                return NONE;
            }
            double mean = actualSum / n;
            double std = Math.sqrt(Math.max(0, actualSqSum / n - mean * mean));
            return new Errors(absSum / n, Math.sqrt(sqSum / n) / std, apeCount == 0 ? Double.NaN : 100 * apeSum / apeCount);
        }
    }
}
