package io.sensorcast.demo;

import java.util.Random;

/** An industrial machine's temperature: daily load cycle, noise, slow drift and rare lasting level shifts. */
final class MachineTemperatureSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = 5 * MINUTE_MS;
    private static final double DRIFT_PER_READING = 0.5 / (DAY_MS / (double) INTERVAL_MS);
    // About one shift every five days of readings.
    private static final double LEVEL_SHIFT_PROBABILITY = 1.0 / 1500;

    private double level;

    MachineTemperatureSensor(long seed, long startMs) {
        super("machine-temp-1", 2, seed, startMs, INTERVAL_MS);
        this.level = 78;
    }

    @Override
    double measure(long timestampMs, Random random) {
        level += DRIFT_PER_READING + 0.03 * random.nextGaussian();
        if (random.nextDouble() < LEVEL_SHIFT_PROBABILITY) {
            double size = 5 + 5 * random.nextDouble();
            // Shift towards the middle of the operating range so drift and shifts never run away.
            level += level > 80 ? -size : size;
        }
        return level + 3.5 * dailyCycle(timestampMs, 15) + 0.6 * random.nextGaussian();
    }

    @Override
    long nextIntervalMs(Random random) {
        return INTERVAL_MS;
    }
}
