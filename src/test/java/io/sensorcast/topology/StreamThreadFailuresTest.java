package io.sensorcast.topology;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class StreamThreadFailuresTest {

    /** A clock the test moves. */
    private static final class MovingClock extends Clock {
        private Instant now = Instant.parse("2026-11-30T06:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void oneFailureThatTheReplacementThreadGetsPastIsNotAStall() {
        MovingClock clock = new MovingClock();
        StreamThreadFailures failures = new StreamThreadFailures(clock);
        failures.failed();
        assertThat(failures.count()).isEqualTo(1);
        assertThat(failures.stalled()).isFalse();
    }

    @Test
    void aThreadFailingAgainEveryFortyFourSecondsIsAStallUntilTenMinutesPassWithoutAFailure() {
        MovingClock clock = new MovingClock();
        StreamThreadFailures failures = new StreamThreadFailures(clock);
        failures.failed();
        clock.advance(Duration.ofSeconds(44));
        failures.failed();
        assertThat(failures.stalled()).isTrue();
        clock.advance(Duration.ofMinutes(9));
        assertThat(failures.stalled()).isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(failures.stalled()).isFalse();
        assertThat(failures.count()).isEqualTo(2);
    }

    @Test
    void failuresHoursApartAreNotAStall() {
        MovingClock clock = new MovingClock();
        StreamThreadFailures failures = new StreamThreadFailures(clock);
        failures.failed();
        clock.advance(Duration.ofHours(3));
        failures.failed();
        assertThat(failures.stalled()).isFalse();
    }
}
