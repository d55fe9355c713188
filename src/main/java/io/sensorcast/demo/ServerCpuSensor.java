package io.sensorcast.demo;

import java.util.Random;

/**
 * A web server's CPU utilisation in percent, every five minutes: noisy and spiky. Users load it in their working
 * day, much less at weekends; a nightly batch job runs at 02:00 UTC; random bursts come and go; usage grows slowly
 * and a deployment now and then moves the baseline for good.
 */
final class ServerCpuSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = 5 * MINUTE_MS;
    private static final double IDLE = 12;
    private static final double BURST_PROBABILITY = 0.02;

    private final long startMs;
    private final LevelShifts deployments = new LevelShifts(10 * DAY_MS, 2, 6, 10);
    private double growthPerDay = Double.NaN;

    ServerCpuSensor(long seed, long startMs) {
        super("server-cpu-5", 1, seed, startMs, INTERVAL_MS);
        this.startMs = startMs;
    }

    @Override
    double measure(long timestampMs, Random random) {
        if (Double.isNaN(growthPerDay)) {
            growthPerDay = 0.05 + 0.1 * random.nextDouble();
        }
        double hour = hourOfDay(timestampMs);
        double users = (isWeekend(timestampMs) ? 8 : 32) * (0.5 + 0.5 * dailyCycle(timestampMs, 14));
        double batch = hour >= 2 && hour < 2 + 40.0 / 60 ? 35 : 0;
        // Bursts are heavy-tailed: mostly a few percent, sometimes most of the machine.
        double burst = random.nextDouble() < BURST_PROBABILITY ? -20 * Math.log(1 - random.nextDouble()) : 0;
        double load = IDLE + deployments.offsetAt(timestampMs, random) + growthPerDay * daysSince(startMs, timestampMs)
                + users + batch + burst;
        double cpu = load * (1 + 0.08 * random.nextGaussian()) + 1.5 * random.nextGaussian();
        return Math.max(0.5, Math.min(100, cpu));
    }

    @Override
    long nextIntervalMs(Random random) {
        return INTERVAL_MS;
    }
}
