package io.sensorcast.demo;

import java.util.Random;

/**
 * Requests a web service answered in each ten minutes: a count with a strong daily cycle (afternoon peak on
 * weekdays, a later and lower one at weekends), count noise that grows with the level, steady growth, and rare
 * lasting steps when a large client joins or leaves.
 */
final class RequestCountSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = 10 * MINUTE_MS;

    private final long startMs;
    // Steps in log units: a client worth 10 % to 25 % of the traffic.
    private final LevelShifts clients = new LevelShifts(14 * DAY_MS, 0.1, 0.25, 0.5);
    private double scale = Double.NaN;
    private double growthPerDay;

    RequestCountSensor(long seed, long startMs) {
        super("web-requests-6", 0, seed, startMs, INTERVAL_MS);
        this.startMs = startMs;
    }

    @Override
    double measure(long timestampMs, Random random) {
        if (Double.isNaN(scale)) {
            scale = 800 + 800 * random.nextDouble();
            growthPerDay = 0.002 + 0.006 * random.nextDouble();
        }
        double daily = isWeekend(timestampMs)
                ? 0.2 + 0.35 * square(0.5 + 0.5 * dailyCycle(timestampMs, 17))
                : 0.2 + 0.8 * square(0.5 + 0.5 * dailyCycle(timestampMs, 15));
        // Real request streams are burstier than Poisson: a little extra multiplicative noise.
        double mean = scale * daily * Math.exp(clients.offsetAt(timestampMs, random) + 0.08 * random.nextGaussian())
                * (1 + growthPerDay * daysSince(startMs, timestampMs));
        return Math.max(0, mean + Math.sqrt(mean) * random.nextGaussian());
    }

    @Override
    long nextIntervalMs(Random random) {
        return INTERVAL_MS;
    }

    private static double square(double x) {
        return x * x;
    }
}
