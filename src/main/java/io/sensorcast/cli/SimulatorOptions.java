package io.sensorcast.cli;

import io.sensorcast.demo.SensorSimulator;
import picocli.CommandLine.Option;

import java.time.Instant;

/** The simulated sensors' options, shared by {@code demo} and {@code simulate}. */
final class SimulatorOptions {

    @Option(names = "--rate", defaultValue = "25", description = "Simulated events per second (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--seed", defaultValue = "7", description = "Simulator seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--bad-record-rate", defaultValue = "0.01",
            description = "Share of deliberately broken records (default: ${DEFAULT-VALUE}).")
    double badRecordRate;

    /** The simulator these options describe, its first readings at {@code start}. */
    SensorSimulator simulator(Instant start) {
        return new SensorSimulator(seed, start, badRecordRate);
    }
}
