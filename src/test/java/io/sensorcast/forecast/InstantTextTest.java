package io.sensorcast.forecast;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesWhatInstantToStringWritesForRandomMillisecondsAcrossFourDigitYears() {
        SplittableRandom random = new SplittableRandom(7);
        char[] buffer = new char[InstantText.MAX_LENGTH];
        for (int i = 0; i < 200_000; i++) {
            long ms = random.nextLong(0, 253_402_300_800_000L);
            // Half of them on whole seconds, where Instant.toString leaves the fraction out.
            if (i % 2 == 0) {
                ms -= ms % 1000;
            }
            assertThat(new String(buffer, 0, InstantText.write(ms, buffer)))
                    .isEqualTo(Instant.ofEpochMilli(ms).toString());
        }
    }

    @Test
    void writesCalendarEdgesLikeInstantToString() {
        long[] edges = {0, 1, 999, 1000, 951_782_400_000L /* 2000-02-29 */, 951_868_799_999L, 4_107_456_000_000L
                /* 2100-02-28 */, 4_107_542_400_000L /* 2100-03-01 */, 253_402_300_799_999L /* 9999-12-31 */};
        for (long ms : edges) {
            assertThat(InstantText.toString(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString());
        }
    }

    @Test
    void fallsBackToJavaTimeBeforeTheEpochAndAfterYear9999() {
        for (long ms : new long[] {-1, -62_135_596_800_001L, 253_402_300_800_000L, Long.MAX_VALUE / 1000}) {
            assertThat(InstantText.toString(ms)).isEqualTo(Instant.ofEpochMilli(ms).toString());
        }
    }
}
