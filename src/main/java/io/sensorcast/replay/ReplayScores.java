package io.sensorcast.replay;

import java.util.List;

/**
 * Scores one sensor's replayed forecasts against what then arrived, per horizon, next to two baselines:
 * persistence (the value at forecast time) and seasonal naive (the latest value at least one season
 * before the target). Every method is scored on the same pairs: rows from {@code scoreFrom} whose
 * target exists and has a value one season earlier.
 */
public final class ReplayScores {

    /** Errors of one method at one horizon: MAE, NRMSE (RMSE over the actuals' standard deviation) and MAPE (%). */
    public record Errors(double mae, double nrmse, double mape) {
    }

    /** Errors of the model and both baselines at horizon {@code h}, over {@code pairs} forecast/actual pairs. */
    public record HorizonScores(int h, int pairs, Errors model, Errors persistence, Errors seasonalNaive) {
    }

    private ReplayScores() {
    }

    /**
     * @param rows      one sensor's rows in order (channel {@code channel} is scored)
     * @param horizon   K
     * @param seasonMs  season length, e.g. one day
     * @param scoreFrom first row index (within {@code rows}) whose forecasts count
     */
    public static HorizonScores[] score(List<ReplayRunner.Row> rows, int horizon, int channel, int channels,
                                        long seasonMs, int scoreFrom) {
        HorizonScores[] out = new HorizonScores[horizon];
        for (int h = 1; h <= horizon; h++) {
            Accumulator model = new Accumulator();
            Accumulator persistence = new Accumulator();
            Accumulator seasonal = new Accumulator();
            int seasonIndex = 0;
            for (int i = Math.max(0, scoreFrom); i + h < rows.size(); i++) {
                ReplayRunner.Row target = rows.get(i + h);
                long seasonTs = target.timestampMs() - seasonMs;
                // The latest row at or before one season before the target (rows are in time order).
                while (seasonIndex + 1 < rows.size() && rows.get(seasonIndex + 1).timestampMs() <= seasonTs) {
                    seasonIndex++;
                }
                if (rows.get(seasonIndex).timestampMs() > seasonTs) {
                    continue;
                }
                double actual = target.actual()[channel];
                model.add(rows.get(i).forecast()[(h - 1) * channels + channel], actual);
                persistence.add(rows.get(i).actual()[channel], actual);
                seasonal.add(rows.get(seasonIndex).actual()[channel], actual);
            }
            out[h - 1] = new HorizonScores(h, model.n, model.errors(), persistence.errors(), seasonal.errors());
        }
        return out;
    }

    private static final class Accumulator {
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
                return new Errors(Double.NaN, Double.NaN, Double.NaN);
            }
            double mean = actualSum / n;
            double std = Math.sqrt(Math.max(0, actualSqSum / n - mean * mean));
            return new Errors(absSum / n, Math.sqrt(sqSum / n) / std, apeCount == 0 ? Double.NaN : 100 * apeSum / apeCount);
        }
    }
}
