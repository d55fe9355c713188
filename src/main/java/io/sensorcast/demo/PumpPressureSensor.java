package io.sensorcast.demo;

import java.util.Random;

/** A pump's outlet pressure in bar, sampled every minute: a noisy mean-reverting random walk. */
final class PumpPressureSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = MINUTE_MS;
    private static final double SET_POINT = 4.2;

    private double pressure = SET_POINT;

    PumpPressureSensor(long seed, long startMs) {
        super("pump-pressure-3", 3, seed, startMs, INTERVAL_MS);
    }

    @Override
    double measure(long timestampMs, Random random) {
        pressure += 0.02 * (SET_POINT - pressure) + 0.04 * random.nextGaussian();
        return pressure + 0.03 * random.nextGaussian();
    }

    @Override
    long nextIntervalMs(Random random) {
        return INTERVAL_MS;
    }
}
