package io.sensorcast.demo;

import java.util.Random;

/**
 * An office's ambient temperature in °C. The heating follows the office's local working week: comfort from 7:00 to
 * 19:00 on weekdays, a night setback and a deeper weekend setback, reached slowly because the building is heavy.
 * On top: afternoon sun, a slow weather wander, a seasonal trend and rare lasting thermostat changes.
 */
final class RoomTemperatureSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = 10 * MINUTE_MS;
    // The building approaches its heating target with a time constant of about two hours.
    private static final double THERMAL_TIME_CONSTANT_MS = 2 * HOUR_MS;
    private static final double NIGHT_SETBACK = 2;
    private static final double WEEKEND_SETBACK = 3.5;

    private final long intervalMs;
    private final long utcOffsetMs;
    private final double comfort;
    private final long startMs;
    private final LevelShifts thermostat = new LevelShifts(20 * DAY_MS, 0.5, 1.5, 2);
    private double indoor = Double.NaN;
    private double trendPerDay;
    private double weather;

    RoomTemperatureSensor(long seed, long startMs) {
        this("room-temp-2", seed, startMs, INTERVAL_MS, 0, 22);
    }

    /**
     * @param utcOffsetHours the office's time zone: its working day and sun are this many hours ahead of UTC
     * @param comfort        the thermostat's working-hours setting
     */
    RoomTemperatureSensor(String id, long seed, long startMs, long intervalMs, int utcOffsetHours, double comfort) {
        super(id, 2, seed, startMs, intervalMs);
        this.intervalMs = intervalMs;
        this.utcOffsetMs = utcOffsetHours * HOUR_MS;
        this.comfort = comfort;
        this.startMs = startMs;
    }

    @Override
    double measure(long timestampMs, Random random) {
        long local = timestampMs + utcOffsetMs;
        double hour = hourOfDay(local);
        double target = comfort + thermostat.offsetAt(timestampMs, random);
        if (isWeekend(local)) {
            target -= WEEKEND_SETBACK;
        } else if (hour < 7 || hour >= 19) {
            target -= NIGHT_SETBACK;
        }
        if (Double.isNaN(indoor)) {
            indoor = target;
            // Spring or autumn: the outdoor season warms or cools the room by up to a degree a month.
            trendPerDay = 0.06 * random.nextDouble() - 0.03;
        }
        indoor += (target - indoor) * (1 - Math.exp(-intervalMs / THERMAL_TIME_CONSTANT_MS));
        // Mean-reverting wander of about half a degree, changing over days.
        weather += -0.005 * weather + 0.04 * random.nextGaussian();
        return indoor + 0.8 * dailyCycle(local, 14) + weather + trendPerDay * daysSince(startMs, timestampMs)
                + 0.15 * random.nextGaussian();
    }

    @Override
    long nextIntervalMs(Random random) {
        return intervalMs;
    }
}
