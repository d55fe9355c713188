package io.sensorcast.cli;

/** What one service process does: everything, only serving forecasts, or only training. */
enum Role {
    /** Serve forecasts and train (the demo, and single-instance deployments). */
    ALL,
    /** Serve forecasts; models arrive from the model topic. Scale these with the input partitions. */
    SERVE,
    /** Train only: read the events under its own application id and publish models (run exactly one). */
    TRAIN;

    boolean serves() {
        return this != TRAIN;
    }

    boolean trains() {
        return this != SERVE;
    }
}
