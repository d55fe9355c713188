package io.sensorcast.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An industrial machine's temperature in °C, every five minutes. Production load heats it: a daytime peak on
 * weekdays, a light load at weekends. Fouling drifts it slowly upwards until a Saturday maintenance cleans the
 * machine and sets a new operating point, which then holds: a sawtooth of drift and lasting level shifts.
 */
final class MachineTemperatureSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = 5 * MINUTE_MS;
    private static final double NOMINAL = 74;
    private static final double FOULING_PER_READING = 0.4 / (DAY_MS / (double) INTERVAL_MS);
    // Heating at full load; the load runs from 0.1 to 1 on weekdays and 0.05 to 0.25 at weekends.
    private static final double LOAD_HEAT = 8;
    // Past this much fouling the next weekend's maintenance is no longer optional.
    private static final double FOULING_LIMIT = 5;
    private static final double MAINTENANCE_CHANCE = 0.4;

    private final List<LevelShift> levelShifts = new ArrayList<>();
    private double operatingPoint = NOMINAL;
    private double fouling;
    private long maintenanceDecidedForWeek = Long.MIN_VALUE;
    private double maintenanceHour = Double.NaN;

    MachineTemperatureSensor(long seed, long startMs) {
        super("machine-temp-1", 2, seed, startMs, INTERVAL_MS);
    }

    @Override
    double measure(long timestampMs, Random random) {
        maybeMaintain(timestampMs, random);
        fouling += FOULING_PER_READING + 0.03 * random.nextGaussian();
        double load = isWeekend(timestampMs)
                ? 0.15 + 0.1 * dailyCycle(timestampMs, 15)
                : 0.55 + 0.45 * dailyCycle(timestampMs, 15);
        return operatingPoint + fouling + LOAD_HEAT * load + 0.6 * random.nextGaussian();
    }

    /** The operating point's steps so far, one per maintenance, oldest first. */
    List<LevelShift> levelShifts() {
        return List.copyOf(levelShifts);
    }

    private void maybeMaintain(long timestampMs, Random random) {
        if (Double.isNaN(maintenanceHour)) {
            maintenanceHour = 6 + 8 * random.nextDouble();
        }
        long week = Math.floorDiv(timestampMs + 3 * DAY_MS, 7 * DAY_MS);
        if (week == maintenanceDecidedForWeek || dayOfWeek(timestampMs) != 5
                || hourOfDay(timestampMs) < maintenanceHour) {
            return;
        }
        maintenanceDecidedForWeek = week;
        if (fouling > FOULING_LIMIT || random.nextDouble() < MAINTENANCE_CHANCE) {
            // Cleaning removes the fouling; re-tuning lands the machine somewhere near nominal, never far off.
            double before = operatingPoint + fouling;
            operatingPoint = NOMINAL + Math.max(-6, Math.min(6, 3 * random.nextGaussian()));
            fouling = 0;
            levelShifts.add(new LevelShift(timestampMs, operatingPoint - before));
        }
        maintenanceHour = 6 + 8 * random.nextDouble();
    }

    @Override
    long nextIntervalMs(Random random) {
        return INTERVAL_MS;
    }
}
