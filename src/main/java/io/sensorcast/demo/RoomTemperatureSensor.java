package io.sensorcast.demo;

import java.util.Random;

/** An office's ambient temperature in °C: warmer in the afternoon, cooler at weekends, slow weather wander. */
final class RoomTemperatureSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = 10 * MINUTE_MS;

    private double weather;

    RoomTemperatureSensor(long seed, long startMs) {
        super("room-temp-2", 2, seed, startMs, INTERVAL_MS);
    }

    @Override
    double measure(long timestampMs, Random random) {
        // Mean-reverting wander of about half a degree, changing over days.
        weather += -0.005 * weather + 0.04 * random.nextGaussian();
        double heating = isWeekend(timestampMs) ? -1.8 : 0;
        return 21.5 + 1.2 * dailyCycle(timestampMs, 14) + heating + weather + 0.15 * random.nextGaussian();
    }

    @Override
    long nextIntervalMs(Random random) {
        return INTERVAL_MS;
    }
}
