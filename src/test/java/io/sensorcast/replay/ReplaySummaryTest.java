package io.sensorcast.replay;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.sensorcast.replay.ReplayScoresTest.errors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplaySummaryTest {

    private static final List<ReplayScores.Baseline> BASELINES =
            ReplayScores.baselines(List.of(Duration.ofDays(1), Duration.ofDays(7)));

    /** MAEs of the model, persistence, daily and weekly naive at h = 1 and h = 2 (the same unless given). */
    private static ReplayScores.SeriesScores series(String name, double[] h1, double[] h2, int h2Pairs) {
        return new ReplayScores.SeriesScores(name, BASELINES, List.of(horizon(1, 100, h1), horizon(2, h2Pairs, h2)));
    }

    private static ReplayScores.HorizonScores horizon(int h, int pairs, double[] mae) {
        return new ReplayScores.HorizonScores(h, pairs, errors(mae[0]), List.of(errors(mae[1]), errors(mae[2]), errors(mae[3])));
    }

    private static final double[] A = {1, 4, 2, 3};  // best daily: 1/2 = 0.5; persistence 0.25
    private static final double[] B = {3, 6, 9, 6};  // best persistence (tie with weekly): 0.5; 0.5
    private static final double[] C = {8, 4, 5, 6};  // best persistence: 2; 2
    private static final double[] D = {2, 3, 2, 4};  // best daily: 1 (not a win); 2/3

    private static final List<ReplayScores.SeriesScores> FOUR = List.of(
            series("A", A, A, 100), series("B", B, B, 100), series("C", C, new double[]{8, 0, 0, 0}, 100),
            series("D", D, D, 0));

    @Test
    void theGeometricMeanAndWinsOfModelOverBestBaselineAreTakenAcrossSeriesPerHorizon() {
        ReplaySummary.HorizonSummary h1 = ReplaySummary.of(FOUR).at(1);

        assertThat(h1.h()).isEqualTo(1);
        assertThat(h1.series()).isEqualTo(4);
        // (0.5 * 0.5 * 2 * 1) ^ (1/4)
        assertThat(h1.geoMeanToBest()).isCloseTo(Math.pow(0.5, 0.25), within(1e-12));
        assertThat(h1.winsOverBest()).as("a ratio of exactly 1 is no win").isEqualTo(2);
        assertThat(h1.leftOut()).isEmpty();
    }

    @Test
    void theGeometricMeanAndWinsOverPersistenceAreReportedAlongside() {
        ReplaySummary.HorizonSummary h1 = ReplaySummary.of(FOUR).at(1);

        // (0.25 * 0.5 * 2 * 2/3) ^ (1/4)
        assertThat(h1.geoMeanToPersistence()).isCloseTo(Math.pow(1.0 / 6, 0.25), within(1e-12));
        assertThat(h1.winsOverPersistence()).isEqualTo(3);
    }

    @Test
    void aSeriesWithoutPairsOrWithAZeroBaselineMaeIsLeftOutOfThatHorizonAndNamed() {
        ReplaySummary summary = ReplaySummary.of(FOUR);

        assertThat(summary.horizons()).hasSize(2);
        ReplaySummary.HorizonSummary h2 = summary.at(2);
        assertThat(h2.series()).isEqualTo(2);
        assertThat(h2.geoMeanToBest()).isCloseTo(0.5, within(1e-12));
        assertThat(h2.winsOverBest()).isEqualTo(2);
        assertThat(h2.geoMeanToPersistence()).isCloseTo(Math.sqrt(0.25 * 0.5), within(1e-12));
        assertThat(h2.leftOut()).containsExactly("C (zero MAE)", "D (no scored pairs)");
    }

    @Test
    void aHorizonNoSeriesEntersHasNanMeansAndNoWins() {
        ReplaySummary.HorizonSummary h2 = ReplaySummary.of(List.of(series("D", D, D, 0))).at(2);

        assertThat(h2.series()).isZero();
        assertThat(h2.geoMeanToBest()).isNaN();
        assertThat(h2.geoMeanToPersistence()).isNaN();
        assertThat(h2.winsOverBest()).isZero();
        assertThat(h2.leftOut()).containsExactly("D (no scored pairs)");
    }
}
