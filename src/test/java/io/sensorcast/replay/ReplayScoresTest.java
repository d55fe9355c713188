package io.sensorcast.replay;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ReplayScoresTest {

    private static final long DAY_MS = Duration.ofDays(1).toMillis();
    private static final List<ReplayScores.Baseline> DAILY_AND_WEEKLY =
            ReplayScores.baselines(List.of(Duration.ofDays(7), Duration.ofDays(1)));

    /**
     * Irregular rows (day, value); the model's horizon-1 forecast at each row is the next value + 3, so its
     * MAE is 3 wherever it is scored. Targets from row 3 (day 7.0) on have a value a week before.
     */
    private static final double[][] IRREGULAR = {
            {0.0, 38}, {0.5, 52}, {3.0, 100}, {7.0, 40}, {7.7, 50}, {8.2, 60}, {9.6, 70}};

    @Test
    void baselinesArePersistenceThenSeasonalNaiveShortestSeasonFirst() {
        assertThat(DAILY_AND_WEEKLY).extracting(ReplayScores.Baseline::name)
                .containsExactly("persistence", "daily naive", "weekly naive");
        assertThat(ReplayScores.baselines(List.of(Duration.ofHours(12))).get(1).name()).isEqualTo("naive PT12H");
    }

    @Test
    void seasonalNaiveTakesTheLatestValueAtOrBeforeTargetMinusSeasonOnIrregularTimestamps() {
        ReplayScores.HorizonScores h1 = ReplayScores.score("s", rows(IRREGULAR, 1), 1, 0, 1, DAILY_AND_WEEKLY, 0).at(1);

        // Targets 40 (day 7.0), 50 (7.7), 60 (8.2), 70 (9.6).
        // Daily: days 6.0, 6.7 -> row at 3.0 (100); 7.2 -> row at 7.0 (40); 8.6 -> row at 8.2 (60): errors 60, 50, 20, 10.
        assertThat(h1.baselines().get(1).mae()).isCloseTo(35.0, within(1e-12));
        // Weekly: day 0.0 -> exactly the row at 0.0 (38); 0.7, 1.2, 2.6 -> row at 0.5 (52): errors 2, 2, 8, 18.
        assertThat(h1.baselines().get(2).mae()).isCloseTo(7.5, within(1e-12));
    }

    @Test
    void everyMethodIsScoredOnlyOnPairsFromScoreFromWhoseTargetHasAWeeklyNaiveValue() {
        ReplayScores.SeriesScores all = ReplayScores.score("s", rows(IRREGULAR, 2), 2, 0, 1, DAILY_AND_WEEKLY, 0);

        // h=1: targets at rows 1 and 2 lack a week of history, so persistence is scored on 100->40, 40->50,
        // 50->60, 60->70 only (errors 60, 10, 10, 10), not also on 38->52 and 52->100.
        assertThat(all.at(1).pairs()).isEqualTo(4);
        assertThat(all.at(1).persistence().mae()).isCloseTo(22.5, within(1e-12));
        assertThat(all.at(1).model().mae()).isCloseTo(3.0, within(1e-12));
        // h=2: the same four targets, forecast from rows 1..4 (persistence errors 12, 50, 20, 20).
        assertThat(all.at(2).pairs()).isEqualTo(4);
        assertThat(all.at(2).persistence().mae()).isCloseTo(25.5, within(1e-12));

        // From row 4 on, h=1 scores 50->60 and 60->70 only.
        ReplayScores.HorizonScores late = ReplayScores.score("s", rows(IRREGULAR, 1), 1, 0, 1, DAILY_AND_WEEKLY, 4).at(1);
        assertThat(late.pairs()).isEqualTo(2);
        assertThat(late.persistence().mae()).isCloseTo(10.0, within(1e-12));
        assertThat(late.baselines().get(1).mae()).isCloseTo(15.0, within(1e-12));
        assertThat(late.baselines().get(2).mae()).isCloseTo(13.0, within(1e-12));
    }

    @Test
    void aSeasonalValueNewerThanTheForecastTimeIsNotUsedTheForecastTimeValueIs() {
        // h=2 from the row at day 7.0 to the target at day 8.5: one day before the target is 7.5, and the
        // row at 7.2 was not known at forecast time, so daily naive forecasts 20 (error 20), not 30.
        double[][] gap = {{0.0, 10}, {7.0, 20}, {7.2, 30}, {8.5, 40}};
        ReplayScores.HorizonScores h2 = ReplayScores.score("s", rows(gap, 2), 2, 0, 1, DAILY_AND_WEEKLY, 1).at(2);

        assertThat(h2.pairs()).isEqualTo(1);
        assertThat(h2.baselines().get(1).mae()).isCloseTo(20.0, within(1e-12));
        assertThat(h2.baselines().get(2).mae()).isCloseTo(30.0, within(1e-12));
    }

    @Test
    void theBestBaselineIsTheOneWithTheLowestMaeAndTheRatiosDivideTheModelMaeByIt() {
        ReplayScores.HorizonScores h1 = ReplayScores.score("s", rows(IRREGULAR, 1), 1, 0, 1, DAILY_AND_WEEKLY, 0).at(1);

        // Persistence 22.5, daily 35, weekly 7.5; model 3.
        assertThat(h1.bestBaseline()).isEqualTo(2);
        assertThat(h1.best().mae()).isCloseTo(7.5, within(1e-12));
        assertThat(h1.ratioToBest()).isCloseTo(0.4, within(1e-12));
        assertThat(h1.ratioToPersistence()).isCloseTo(3.0 / 22.5, within(1e-12));
    }

    @Test
    void onATieTheSimplerBaselineIsBest() {
        ReplayScores.HorizonScores tie = new ReplayScores.HorizonScores(1, 10, errors(1),
                List.of(errors(4), errors(4), errors(4)));

        assertThat(tie.bestBaseline()).isZero();
    }

    @Test
    void aHorizonWithoutPairsHasNoBestBaselineAndNanRatios() {
        // Less than a week of history: nothing is scored.
        double[][] young = {{0.0, 1}, {1.0, 2}, {2.0, 3}};
        ReplayScores.HorizonScores h1 = ReplayScores.score("s", rows(young, 1), 1, 0, 1, DAILY_AND_WEEKLY, 0).at(1);

        assertThat(h1.pairs()).isZero();
        assertThat(h1.bestBaseline()).isEqualTo(-1);
        assertThat(h1.ratioToBest()).isNaN();
        assertThat(h1.ratioToPersistence()).isNaN();
    }

    static ReplayScores.Errors errors(double mae) {
        return new ReplayScores.Errors(mae, Double.NaN, Double.NaN);
    }

    /** Rows from (day, value) pairs; the forecast for horizon h at row i is the value of row i + h, plus 3. */
    private static List<ReplayRunner.Row> rows(double[][] dayValue, int horizon) {
        List<ReplayRunner.Row> rows = new ArrayList<>();
        for (int i = 0; i < dayValue.length; i++) {
            double[] forecast = new double[horizon];
            for (int h = 1; h <= horizon; h++) {
                forecast[h - 1] = i + h < dayValue.length ? dayValue[i + h][1] + 3 : Double.NaN;
            }
            rows.add(new ReplayRunner.Row(i, "s", Math.round(dayValue[i][0] * DAY_MS), new double[]{dayValue[i][1]},
                    forecast, 1));
        }
        return rows;
    }
}
