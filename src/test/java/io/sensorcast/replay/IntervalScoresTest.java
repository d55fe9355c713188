package io.sensorcast.replay;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class IntervalScoresTest {

    private static final double[] LEVELS = {0.1, 0.5, 0.9};

    @Test
    void pinballLossWeighsMissesAboveByTheLevelAndBelowByItsComplement() {
        assertThat(IntervalScores.pinball(10, 8, 0.9)).isCloseTo(1.8, within(1e-12));
        assertThat(IntervalScores.pinball(10, 12, 0.9)).isCloseTo(0.2, within(1e-12));
        assertThat(IntervalScores.pinball(10, 10, 0.1)).isZero();
    }

    @Test
    void centralIntervalsArePairsOfLevelsAroundTheMedianWidestFirst() {
        List<double[]> intervals = IntervalScores.intervals(new double[] {0.05, 0.1, 0.3, 0.5, 0.9, 0.95});

        assertThat(intervals).hasSize(2);
        assertThat(intervals.get(0)).containsExactly(0.05, 0.95);
        assertThat(intervals.get(1)).containsExactly(0.1, 0.9);
    }

    @Test
    void coverageAndWqlAreComputedOverTheScoredPairs() {
        // Actuals alternate 10, 20; every row forecasts the next value as 15 with quantiles 12, 15, 18.
        List<ReplayRunner.Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(new ReplayRunner.Row(i, "s", i * 60_000L, new double[] {i % 2 == 0 ? 10 : 20}, new double[] {15}, 1,
                    new double[] {12, 15, 18}, io.sensorcast.anomaly.AnomalyScore.UNSCORED));
        }

        IntervalScores.SeriesIntervals s = IntervalScores.score("s", rows, LEVELS, 1, 0, 1,
                ReplayScores.baselines(List.of()), 0);

        IntervalScores.HorizonIntervals h1 = s.at(1);
        assertThat(h1.pairs()).isEqualTo(9);
        // No actual (10 or 20) lies within [12, 18].
        assertThat(h1.coverage()).containsExactly(0.0);
        // The same loss summed by hand over targets 1..9: twice the pinball over the summed actuals, per level, averaged.
        double[] pinball = new double[3];
        double abs = 0;
        for (int i = 1; i < 10; i++) {
            double a = rows.get(i).actual()[0];
            abs += a;
            pinball[0] += IntervalScores.pinball(a, 12, 0.1);
            pinball[1] += IntervalScores.pinball(a, 15, 0.5);
            pinball[2] += IntervalScores.pinball(a, 18, 0.9);
        }
        double wql = (2 * pinball[0] / abs + 2 * pinball[1] / abs + 2 * pinball[2] / abs) / 3;
        assertThat(h1.wql()).isCloseTo(wql, within(1e-12));
        assertThat(s.interval(0.8)).isZero();
    }

    @Test
    void aBaselinesQuantilesAreItsPointPlusTheEmpiricalQuantilesOfItsEarlierErrors() {
        // Persistence on a series that steps up by exactly 1 each row: every error is +1, so its quantiles are the
        // next value exactly and its WQL is zero once errors are known; the model forecasts 1 too low throughout.
        List<ReplayRunner.Row> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            rows.add(new ReplayRunner.Row(i, "s", i * 60_000L, new double[] {100 + i}, new double[] {100 + i}, 1,
                    new double[] {100 + i, 100 + i, 100 + i}, io.sensorcast.anomaly.AnomalyScore.UNSCORED));
        }

        IntervalScores.HorizonIntervals h1 = IntervalScores.score("s", rows, LEVELS, 1, 0, 1,
                ReplayScores.baselines(List.of(Duration.ofMinutes(5))), 10).at(1);

        assertThat(h1.baselineWql()[0]).isZero();
        assertThat(h1.bestBaseline()).isZero();
        assertThat(h1.wql()).isGreaterThan(0);
    }

    @Test
    void theSortedWindowKeepsTheLastValuesAndInterpolatesTheirQuantiles() {
        IntervalScores.SortedWindow w = new IntervalScores.SortedWindow(4);
        for (double v : new double[] {100, 5, 1, 3, 2, 4}) {
            w.add(v);
        }
        // The window holds 1, 3, 2, 4: 100 and 5 fell out.
        assertThat(w.quantile(0)).isEqualTo(1);
        assertThat(w.quantile(1)).isEqualTo(4);
        assertThat(w.quantile(0.5)).isEqualTo(2.5);
    }
}
