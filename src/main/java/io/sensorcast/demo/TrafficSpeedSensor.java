package io.sensorcast.demo;

import java.util.Random;

/** A road sensor's average speed in mph: irregular reports with outages, slowdowns in weekday rush hours. */
final class TrafficSpeedSensor extends SimulatedSensor {

    private static final double OUTAGE_PROBABILITY = 0.02;

    TrafficSpeedSensor(long seed, long startMs) {
        super("traffic-speed-4", 0, seed, startMs, 6 * MINUTE_MS);
    }

    @Override
    double measure(long timestampMs, Random random) {
        double hour = hourOfDay(timestampMs);
        double congestion = isWeekend(timestampMs)
                ? 8 * bump(hour, 13, 2.0)
                : 25 * bump(hour, 8, 0.7) + 30 * bump(hour, 17.5, 0.9);
        double speed = 65 - congestion + 4 * random.nextGaussian();
        return Math.max(3, Math.min(85, speed));
    }

    @Override
    long nextIntervalMs(Random random) {
        if (random.nextDouble() < OUTAGE_PROBABILITY) {
            return wholeSeconds((30 + 150 * random.nextDouble()) * MINUTE_MS);
        }
        return wholeSeconds((3 + 6 * random.nextDouble()) * MINUTE_MS);
    }

    private static double bump(double hour, double centre, double width) {
        double d = (hour - centre) / width;
        return Math.exp(-0.5 * d * d);
    }
}
