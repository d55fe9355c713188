package io.sensorcast.cli;

import io.sensorcast.demo.SensorSimulator;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The simulated sensors' options, shared by {@code demo} and {@code simulate}. */
final class SimulatorOptions {

    @Option(names = "--rate", defaultValue = "25", description = "Simulated events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "7", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bad-record-rate", defaultValue = "0.01",
            description = "Share of deliberately broken records (default: ${DEFAULT-VALUE}).")
    double badRecordRate;

    @Option(names = "--backfill", defaultValue = "P7D",
            description = "Start this long before now (ISO-8601 duration), replay that at --rate, then follow real"
                    + " time (default: ${DEFAULT-VALUE}).")
    Duration backfill;

    /** Where the simulated readings start when no explicit start is given: now minus the backfill. */
    Instant backfillStart() {
        return Instant.now().minus(backfill).truncatedTo(ChronoUnit.MINUTES);
    }

    /** The simulator these options describe, its first readings at {@code start}. */
    SensorSimulator simulator(Instant start) {
        return new SensorSimulator(seed, start, badRecordRate);
    }
}
