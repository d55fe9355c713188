package io.sensorcast.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Rare, lasting steps in a level at random moments (exponentially spaced, so no cadence or weekday is favoured).
 * Each step keeps until the next one; the offset stays within a limit so a long run never drifts off its range.
 */
final class LevelShifts {

    private final double meanIntervalMs;
    private final double minSize;
    private final double maxSize;
    private final double limit;
    private final List<LevelShift> history = new ArrayList<>();
    private long nextShiftMs = Long.MIN_VALUE;
    private double offset;

    /**
     * @param minSize smallest step, positive
     * @param maxSize largest step
     * @param limit   the offset from the starting level never exceeds this in either direction
     */
    LevelShifts(long meanIntervalMs, double minSize, double maxSize, double limit) {
        if (!(minSize > 0 && maxSize >= minSize && limit >= maxSize)) {
            throw new IllegalArgumentException("need 0 < minSize <= maxSize <= limit");
        }
        this.meanIntervalMs = meanIntervalMs;
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.limit = limit;
    }

    /** The offset in force at {@code timestampMs}; call in time order, as readings are taken. */
    double offsetAt(long timestampMs, Random random) {
        if (nextShiftMs == Long.MIN_VALUE) {
            nextShiftMs = timestampMs + interval(random);
        }
        while (timestampMs >= nextShiftMs) {
            double size = minSize + (maxSize - minSize) * random.nextDouble();
            double step = random.nextBoolean() ? size : -size;
            // A step that would leave the range goes the other way, as an operator would correct towards nominal.
            if (Math.abs(offset + step) > limit) {
                step = -step;
            }
            offset += step;
            history.add(new LevelShift(timestampMs, step));
            nextShiftMs += interval(random);
        }
        return offset;
    }

    /** The steps taken so far, oldest first. */
    List<LevelShift> history() {
        return List.copyOf(history);
    }

    private long interval(Random random) {
        return Math.max(1, Math.round(-Math.log(1 - random.nextDouble()) * meanIntervalMs));
    }
}
