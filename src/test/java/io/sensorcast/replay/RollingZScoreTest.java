package io.sensorcast.replay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RollingZScoreTest {

    @Test
    void aValueAtTheWindowsMeanScoresZeroAndOneFarFromItNearlyOne() {
        double[] values = new double[201];
        for (int i = 0; i < 200; i++) {
            values[i] = 1_000_000 + (i % 2 == 0 ? -1 : 1);
        }
        values[200] = 1_000_000 + 10;

        double[] scores = RollingZScore.scores(values, 100);

        // The previous 100 values alternate 999,999 and 1,000,001: mean 1e6, standard deviation 1.
        assertThat(scores[0]).isZero();
        assertThat(scores[200]).isCloseTo(1.0, within(1e-12));
        assertThat(scores[199]).isCloseTo(0.6826894921, within(1e-6));
    }
}
