package io.sensorcast.demo;

import java.util.List;
import java.util.Random;

/**
 * A water pump's outlet pressure in bar, every minute: a noisy mean-reverting walk around the setpoint, pulled down
 * by demand (weekday morning and evening peaks over a daytime industrial base; a later, lighter weekend), with slow
 * wear and rare lasting setpoint changes by the operator.
 */
final class PumpPressureSensor extends SimulatedSensor {

    private static final long INTERVAL_MS = MINUTE_MS;
    // The pressure with no demand; demand takes about 0.3 bar off on average, so readings centre near 4.2.
    private static final double SET_POINT = 4.5;
    // Pressure lost at a demand of 1 (the weekday morning peak is about 1.6).
    private static final double DEMAND_DROP = 0.45;
    private static final double WEAR_PER_DAY = -0.006;

    private final long startMs;
    private final LevelShifts setpointChanges = new LevelShifts(12 * DAY_MS, 0.25, 0.6, 0.8);
    private double pressure = Double.NaN;

    PumpPressureSensor(long seed, long startMs) {
        super("pump-pressure-3", 3, seed, startMs, INTERVAL_MS);
        this.startMs = startMs;
    }

    @Override
    double measure(long timestampMs, Random random) {
        double target = SET_POINT + setpointChanges.offsetAt(timestampMs, random)
                + WEAR_PER_DAY * daysSince(startMs, timestampMs) - DEMAND_DROP * demand(timestampMs);
        if (Double.isNaN(pressure)) {
            pressure = target;
        }
        pressure += 0.02 * (target - pressure) + 0.04 * random.nextGaussian();
        return pressure + 0.03 * random.nextGaussian();
    }

    /** The setpoint's steps so far, oldest first. */
    List<LevelShift> levelShifts() {
        return setpointChanges.history();
    }

    private static double demand(long timestampMs) {
        double hour = hourOfDay(timestampMs);
        if (isWeekend(timestampMs)) {
            return 0.25 + 0.7 * bump(hour, 9.5, 1.8) + 0.5 * bump(hour, 19, 1.5);
        }
        // Industry draws through the working day; households at breakfast and dinner.
        double industry = 0.4 * bump(hour, 12.5, 3.5);
        return 0.45 + industry + 0.9 * bump(hour, 7, 1.0) + 0.6 * bump(hour, 19, 1.5);
    }

    @Override
    long nextIntervalMs(Random random) {
        return INTERVAL_MS;
    }
}
