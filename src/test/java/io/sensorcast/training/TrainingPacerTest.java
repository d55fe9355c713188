package io.sensorcast.training;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingPacerTest {

    @Test
    void pauseKeepsBusyTimeWithinTheShare() {
        TrainingPacer quarter = new TrainingPacer(0.25);
        long busy = TimeUnit.MILLISECONDS.toNanos(100);

        long pause = quarter.pauseNanosAfter(busy);

        assertThat((double) busy / (busy + pause)).isCloseTo(0.25, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void pacedWorkReturnsItsResultAndIsFollowedByItsPause() {
        AtomicInteger pauses = new AtomicInteger();
        TrainingPacer half = new TrainingPacer(0.5).duringPause(pauses::incrementAndGet);

        long started = System.nanoTime();
        String result = half.paced(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return "scored";
        });

        assertThat(result).isEqualTo("scored");
        assertThat(pauses).hasValue(1);
        // 20 ms of work at a share of one half is followed by at least 20 ms of pause.
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(40));
    }

    @Test
    void unpacedTrainerNeverPauses() {
        assertThat(TrainingPacer.UNPACED.pauseNanosAfter(TimeUnit.SECONDS.toNanos(5))).isZero();
    }

    @Test
    void interruptedTrainerDoesNotPauseAndKeepsItsInterrupt() {
        TrainingPacer tenth = new TrainingPacer(0.1);
        Thread.currentThread().interrupt();
        try {
            long started = System.nanoTime();
            tenth.pauseAfter(TimeUnit.SECONDS.toNanos(10)); // would pause 90 s
            assertThat(System.nanoTime() - started).isLessThan(TimeUnit.SECONDS.toNanos(5));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void shareOutsideZeroToOneIsRefused() {
        assertThatThrownBy(() -> new TrainingPacer(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TrainingPacer(1.01)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void workDuringAPauseCountsTowardsThePause() {
        AtomicInteger runs = new AtomicInteger();
        TrainingPacer half = new TrainingPacer(0.5).duringPause(runs::incrementAndGet);

        half.pauseAfter(TimeUnit.MILLISECONDS.toNanos(1));
        TrainingPacer.UNPACED.duringPause(runs::incrementAndGet).pauseAfter(TimeUnit.MILLISECONDS.toNanos(1));

        assertThat(runs).hasValue(1);
    }
}
