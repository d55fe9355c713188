package io.sensorcast.training;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps the trainer busy for at most a share of wall time, so that serving keeps the CPU on a small machine.
 *
 * <p>A training round is CPU-bound DL4J work; run back to back beside the stream thread on two cores it took
 * a third of serving's throughput (BENCHMARKS.md, "Training's cost to serving"). Java thread priorities do not
 * help on Linux, so the trainer paces itself: after each mini-batch, and after each held-out scoring and gate
 * verdict, it sleeps long enough that its busy time stays within the share. Rounds take longer in proportion; what
 * they compute does not change.
 */
public final class TrainingPacer {

    /** No pacing: the trainer runs flat out (replay and tests, where nothing serves beside it). */
    public static final TrainingPacer UNPACED = new TrainingPacer(1.0);

    private final double share;
    private final Runnable duringPause;

    /** @param share the most of wall time the trainer may be busy, in (0, 1]. */
    public TrainingPacer(double share) {
        this(share, () -> { });
    }

    private TrainingPacer(double share, Runnable duringPause) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1]: " + share);
        }
        this.share = share;
        this.duringPause = duringPause;
    }

    /**
     * The same pacing, doing {@code work} at the start of each pause (on the trainer thread): the trainer
     * drains its sample intake there, so a long paced round does not make the stream side drop steps.
     */
    public TrainingPacer duringPause(Runnable work) {
        return new TrainingPacer(share, work);
    }

    /** The share of wall time the trainer may be busy. */
    public double share() {
        return share;
    }

    /** The pause that follows {@code busyNanos} of work. */
    long pauseNanosAfter(long busyNanos) {
        return share >= 1 ? 0 : (long) (Math.max(0, busyNanos) * (1 / share - 1));
    }

    /**
     * Runs {@code work} (a piece of a round other than a mini-batch: scoring held-out windows, judging a candidate)
     * and pauses after it as after a mini-batch, so every part of a round counts against the share, not only the
     * fitting. Returns what the work returned.
     */
    <T> T paced(Supplier<T> work) {
        long started = System.nanoTime();
        T result = work.get();
        pauseAfter(System.nanoTime() - started);
        return result;
    }

    /**
     * Pauses after a mini-batch that took {@code busyNanos}. An interrupt (the trainer is being stopped) ends
     * the pause at once and stays set, so the round finishes quickly and the trainer loop sees it.
     */
    void pauseAfter(long busyNanos) {
        long pause = pauseNanosAfter(busyNanos);
        if (pause <= 0 || Thread.currentThread().isInterrupted()) {
            return;
        }
        long started = System.nanoTime();
        duringPause.run();
        long left = pause - (System.nanoTime() - started);
        if (left <= 0) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(left);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
