package io.sensorcast.demo;

import java.util.Random;

/** One simulated device: when it reports and what it measures, driven by its own seeded random source. */
abstract class SimulatedSensor {

    static final long MINUTE_MS = 60_000;
    static final long HOUR_MS = 3_600_000;
    static final long DAY_MS = 86_400_000;

    private final String id;
    private final double resolution;
    private final Random random;
    private long nextTimestampMs;

    /**
     * @param decimals          how many decimals the device reports
     * @param typicalIntervalMs the usual time between readings; the first reading falls somewhere within one
     */
    SimulatedSensor(String id, int decimals, long seed, long startMs, long typicalIntervalMs) {
        this.id = id;
        this.resolution = Math.pow(10, decimals);
        this.random = new Random(seed);
        // Real devices are not synchronised, so they do not all report on the same tick.
        this.nextTimestampMs = startMs + wholeSeconds(random.nextDouble() * typicalIntervalMs);
    }

    final String id() {
        return id;
    }

    /** When the next reading is due, epoch milliseconds. */
    final long nextTimestampMs() {
        return nextTimestampMs;
    }

    /** Takes the reading due at {@link #nextTimestampMs()} at the device's resolution and schedules the next one. */
    final double read() {
        double value = measure(nextTimestampMs, random);
        nextTimestampMs += nextIntervalMs(random);
        return Math.round(value * resolution) / resolution;
    }

    /** The measurement at {@code timestampMs}; called once per reading, in time order, so it may advance state. */
    abstract double measure(long timestampMs, Random random);

    /** The time until the reading after the current one. */
    abstract long nextIntervalMs(Random random);

    static long wholeSeconds(double ms) {
        return Math.round(ms / 1000.0) * 1000;
    }

    /** Hours since midnight UTC, fractional. */
    static double hourOfDay(long timestampMs) {
        return Math.floorMod(timestampMs, DAY_MS) / 3_600_000.0;
    }

    /** A sinusoid over the day with its peak at {@code peakHour} UTC, between -1 and 1. */
    static double dailyCycle(long timestampMs, double peakHour) {
        return Math.cos(2 * Math.PI * (hourOfDay(timestampMs) - peakHour) / 24.0);
    }

    /** Day of the week in UTC, Monday 0 to Sunday 6. */
    static int dayOfWeek(long timestampMs) {
        // 1970-01-01 was a Thursday; shifting by three days makes Monday zero.
        return Math.floorMod(Math.floorDiv(timestampMs, DAY_MS) + 3, 7);
    }

    static boolean isWeekend(long timestampMs) {
        return dayOfWeek(timestampMs) >= 5;
    }

    /** Days since {@code startMs}, fractional: the clock of slow trends. */
    static double daysSince(long startMs, long timestampMs) {
        return (timestampMs - startMs) / (double) DAY_MS;
    }

    /** A Gaussian bump over the hour of day, 1 at {@code centre}, {@code width} hours one standard deviation. */
    static double bump(double hour, double centre, double width) {
        double d = (hour - centre) / width;
        return Math.exp(-0.5 * d * d);
    }
}
