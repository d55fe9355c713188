package io.sensorcast.training;

import java.util.concurrent.TimeUnit;

/**
 * Keeps the trainer busy for at most a share of wall time, so that serving keeps the CPU on a small machine.
 *
 * <p>A training round is CPU-bound DL4J work; run back to back beside the stream thread on two cores it took
 * a third of serving's throughput (BENCHMARKS.md, "Training's cost to serving"). Java thread priorities do not
 * help on Linux, so the trainer paces itself: after each mini-batch it sleeps long enough that its busy time
 * stays within the share. Rounds take longer in proportion; what they compute does not change.
 */
public final class TrainingPacer {

    /** No pacing: the trainer runs flat out (replay and tests, where nothing serves beside it). */
    public static final TrainingPacer UNPACED = new TrainingPacer(1.0);

    private final double share;

    /** @param share the most of wall time the trainer may be busy, in (0, 1]. */
    public TrainingPacer(double share) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1]: " + share);
        }
        this.share = share;
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
     * Pauses after a mini-batch that took {@code busyNanos}. An interrupt (the trainer is being stopped) ends
     * the pause at once and stays set, so the round finishes quickly and the trainer loop sees it.
     */
    void pauseAfter(long busyNanos) {
        long pause = pauseNanosAfter(busyNanos);
        if (pause <= 0 || Thread.currentThread().isInterrupted()) {
            return;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
