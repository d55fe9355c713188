package io.sensorcast.replay;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NabScorerTest {

    /** 1,000 rows a minute apart: the first 150 are probationary. */
    private static final int ROWS = 1_000;
    private static final long MINUTE = 60_000L;

    private static long[] timestamps() {
        long[] ts = new long[ROWS];
        for (int i = 0; i < ROWS; i++) {
            ts[i] = i * MINUTE;
        }
        return ts;
    }

    /** Scores 0 everywhere but 1 at the given rows. */
    private static NabScorer.Series series(List<NabScorer.Window> windows, int... detections) {
        double[] scores = new double[ROWS];
        for (int i : detections) {
            scores[i] = 1.0;
        }
        return new NabScorer.Series("s", timestamps(), scores, windows);
    }

    private static NabScorer.Window rows(int first, int last) {
        return new NabScorer.Window(first * MINUTE, last * MINUTE);
    }

    @Test
    void scaledSigmoidMatchesTheValuesNabsDocumentationWorksOut() {
        // NAB's sweeper.scaledSigmoid documents these: window start, half-way, end, one window past, far past.
        assertThat(NabScorer.scaledSigmoid(-1.0)).isCloseTo(0.98661, within(5e-6));
        assertThat(NabScorer.scaledSigmoid(-0.5)).isCloseTo(0.84828, within(5e-6));
        assertThat(NabScorer.scaledSigmoid(0.0)).isZero();
        assertThat(NabScorer.scaledSigmoid(1.0)).isCloseTo(-0.98661, within(5e-6));
        assertThat(NabScorer.scaledSigmoid(3.0)).isEqualTo(-1.0);
    }

    @Test
    void probationIsFifteenPercentOfAFileButAtMost750Rows() {
        assertThat(NabScorer.probationaryRows(1_000)).isEqualTo(150);
        assertThat(NabScorer.probationaryRows(22_695)).isEqualTo(750);
    }

    @Test
    void aDetectorFiringAtEveryWindowsStartScores100AndOneThatNeverFiresScores0() {
        List<NabScorer.Window> windows = List.of(rows(300, 399), rows(700, 799));

        NabScorer.Result perfect = NabScorer.score(List.of(series(windows, 300, 700)), NabScorer.Profile.STANDARD);
        NabScorer.Result silent = NabScorer.score(List.of(series(windows)), NabScorer.Profile.STANDARD);

        assertThat(perfect.normalised()).isCloseTo(100.0, within(1e-9));
        assertThat(perfect.raw()).isCloseTo(2.0, within(1e-12));
        assertThat(perfect.detected()).isEqualTo(2);
        assertThat(silent.normalised()).isZero();
        assertThat(silent.raw()).isEqualTo(-2.0);
        assertThat(silent.missed()).isEqualTo(2);
    }

    @Test
    void onlyAWindowsEarliestDetectionCountsAndALaterOneEarnsLess() {
        List<NabScorer.Window> window = List.of(rows(300, 399));

        double early = NabScorer.score(List.of(series(window, 300, 350, 399)), NabScorer.Profile.STANDARD).raw();
        double late = NabScorer.score(List.of(series(window, 399)), NabScorer.Profile.STANDARD).raw();

        assertThat(early).isCloseTo(1.0, within(1e-12));
        // At the window's last row the position is -1/100: 2 / (1 + e^(5 x -0.01)) - 1 over the maximum 0.98661.
        assertThat(late).isCloseTo((2 / (1 + Math.exp(-0.05)) - 1) / 0.9866142981514305, within(1e-9));
        assertThat(late).isLessThan(0.03);
    }

    @Test
    void aFalsePositiveBeforeAnyWindowCostsTheFullFalsePositiveWeightOfTheProfile() {
        List<NabScorer.Window> window = List.of(rows(700, 799));
        // Detections at a window's start and one false alarm before it: worth 1 - fpWeight.
        NabScorer.Series s = series(window, 200, 700);

        assertThat(NabScorer.score(List.of(s), NabScorer.Profile.STANDARD).raw()).isCloseTo(1 - 0.11, within(1e-12));
        assertThat(NabScorer.score(List.of(s), NabScorer.Profile.REWARD_LOW_FP).raw()).isCloseTo(1 - 0.22, within(1e-12));
    }

    @Test
    void aFalsePositiveJustAfterAWindowCostsLessThanOneFarFromIt() {
        List<NabScorer.Window> window = List.of(rows(300, 399));
        double near = NabScorer.score(List.of(series(window, 300, 401)), NabScorer.Profile.STANDARD).raw();
        double far = NabScorer.score(List.of(series(window, 300, 900)), NabScorer.Profile.STANDARD).raw();

        // Two rows past the end of a 100-row window: position 2/99.
        assertThat(near).isCloseTo(1 + 0.11 * NabScorer.scaledSigmoid(2.0 / 99), within(1e-12));
        assertThat(far).isCloseTo(1 - 0.11, within(1e-12));
    }

    @Test
    void detectionsInTheProbationaryPeriodAreNotScored() {
        List<NabScorer.Window> window = List.of(rows(700, 799));

        NabScorer.Result r = NabScorer.score(List.of(series(window, 10, 700)), NabScorer.Profile.STANDARD);

        assertThat(r.raw()).isCloseTo(1.0, within(1e-12));
        assertThat(r.falseAlarms()).isZero();
    }

    @Test
    void theRewardLowFalseNegativeProfileCostsAMissedWindowTwice() {
        List<NabScorer.Window> windows = List.of(rows(300, 399), rows(700, 799));

        NabScorer.Result r = NabScorer.score(List.of(series(windows, 300)), NabScorer.Profile.REWARD_LOW_FN);

        assertThat(r.raw()).isCloseTo(1 - 2.0, within(1e-12));
        assertThat(r.nullScore()).isEqualTo(-4.0);
        assertThat(r.normalised()).isCloseTo(100 * (r.raw() + 4) / (2 + 4), within(1e-9));
    }

    @Test
    void theThresholdIsTheOneThatMaximisesTheCorpusScore() {
        // Row 700 starts the window with score 0.6; 40 false alarms before it score 0.8. Any threshold that fires on
        // the window also fires on all 40 (cost 4.4, more than the window's 1 + 1 saved), so the best is never to fire.
        double[] scores = new double[ROWS];
        scores[700] = 0.6;
        for (int i = 200; i < 240; i++) {
            scores[i] = 0.8;
        }
        NabScorer.Series s = new NabScorer.Series("s", timestamps(), scores, List.of(rows(700, 799)));

        NabScorer.Result r = NabScorer.score(List.of(s), NabScorer.Profile.STANDARD);
        assertThat(r.threshold()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(r.normalised()).isZero();

        // With only 5 false alarms the window is worth firing for: threshold 0.6, score 1 - 5 x 0.11.
        for (int i = 205; i < 240; i++) {
            scores[i] = 0;
        }
        NabScorer.Result fewer = NabScorer.score(List.of(new NabScorer.Series("s", timestamps(), scores,
                List.of(rows(700, 799)))), NabScorer.Profile.STANDARD);
        assertThat(fewer.threshold()).isEqualTo(0.6);
        assertThat(fewer.raw()).isCloseTo(1 - 5 * 0.11, within(1e-12));
        assertThat(fewer.falseAlarms()).isEqualTo(5);
    }

    @Test
    void oneThresholdServesTheWholeCorpus() {
        // Series a fires at 0.9 on its window; series b fires at 0.9 on a false alarm and at 0.5 on its window.
        double[] a = new double[ROWS];
        a[300] = 0.9;
        double[] b = new double[ROWS];
        b[200] = 0.9;
        b[300] = 0.5;
        List<NabScorer.Series> corpus = List.of(
                new NabScorer.Series("a", timestamps(), a, List.of(rows(300, 399))),
                new NabScorer.Series("b", timestamps(), b, List.of(rows(300, 399))));

        NabScorer.Result r = NabScorer.score(corpus, NabScorer.Profile.STANDARD);

        // At 0.5: both windows from their start, one false alarm: 2 - 0.11, better than 1 - 0.11 - 1 at 0.9.
        assertThat(r.threshold()).isEqualTo(0.5);
        assertThat(r.raw()).isCloseTo(2 - 0.11, within(1e-12));
    }

    @Property
    void theNormalisedScoreNeverExceeds100AndNeverFallsBelowTheNullDetector(
            @ForAll @Size(ROWS) List<@DoubleRange(min = 0, max = 1) Double> scores) {
        double[] s = scores.stream().mapToDouble(Double::doubleValue).toArray();
        NabScorer.Result r = NabScorer.score(List.of(new NabScorer.Series("s", timestamps(), s,
                List.of(rows(300, 399), rows(600, 649)))), NabScorer.Profile.STANDARD);

        assertThat(r.normalised()).isBetween(0.0, 100.0 + 1e-9);
    }
}
