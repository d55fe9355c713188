package io.sensorcast.demo;

import java.util.Random;

/**
 * A road sensor's average speed in mph, reported irregularly with outages. Weekdays have morning and evening rush
 * hours (Monday's morning is heavier, Friday's evening earlier and longer); weekends only a light midday slowdown.
 * Traffic grows slowly, a speed-limit change occasionally moves the free-flow speed for good, and rare incidents
 * cut the speed sharply for up to an hour and a half.
 */
final class TrafficSpeedSensor extends SimulatedSensor {

    private static final double OUTAGE_PROBABILITY = 0.02;
    private static final double FREE_FLOW = 65;
    // About one incident every four days at the sensor's six-minute average cadence.
    private static final double INCIDENT_PROBABILITY = 6.0 / (4 * 24 * 60);

    private final long startMs;
    private final LevelShifts speedLimitChanges = new LevelShifts(21 * DAY_MS, 4, 7, 8);
    private double growthPerDay = Double.NaN;
    private long incidentEndsMs = Long.MIN_VALUE;
    private double incidentDrop;

    TrafficSpeedSensor(long seed, long startMs) {
        super("traffic-speed-4", 0, seed, startMs, 6 * MINUTE_MS);
        this.startMs = startMs;
    }

    @Override
    double measure(long timestampMs, Random random) {
        if (Double.isNaN(growthPerDay)) {
            growthPerDay = 0.001 + 0.003 * random.nextDouble();
        }
        double hour = hourOfDay(timestampMs);
        int day = dayOfWeek(timestampMs);
        double congestion = switch (day) {
            case 5, 6 -> (day == 5 ? 10 : 7) * bump(hour, 13.5, 2.5);
            case 0 -> 30 * bump(hour, 8, 0.8) + 28 * bump(hour, 17.5, 0.9);
            case 4 -> 22 * bump(hour, 8, 0.7) + 32 * bump(hour, 16.5, 1.4);
            default -> 25 * bump(hour, 8, 0.7) + 30 * bump(hour, 17.5, 0.9);
        };
        congestion *= 1 + growthPerDay * daysSince(startMs, timestampMs);
        // Empty night roads run a little above the usual free-flow speed.
        double night = 3 * bump(hour, 3, 1.5);
        double speed = FREE_FLOW + speedLimitChanges.offsetAt(timestampMs, random) + night - congestion
                - incident(timestampMs, random) + 4 * random.nextGaussian();
        return Math.max(3, Math.min(85, speed));
    }

    private double incident(long timestampMs, Random random) {
        if (timestampMs >= incidentEndsMs && random.nextDouble() < INCIDENT_PROBABILITY) {
            incidentEndsMs = timestampMs + wholeSeconds((20 + 70 * random.nextDouble()) * MINUTE_MS);
            incidentDrop = 20 + 25 * random.nextDouble();
        }
        return timestampMs < incidentEndsMs ? incidentDrop : 0;
    }

    @Override
    long nextIntervalMs(Random random) {
        if (random.nextDouble() < OUTAGE_PROBABILITY) {
            return wholeSeconds((30 + 150 * random.nextDouble()) * MINUTE_MS);
        }
        return wholeSeconds((3 + 6 * random.nextDouble()) * MINUTE_MS);
    }
}
