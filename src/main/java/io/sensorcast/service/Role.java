package io.sensorcast.service;

/** What one service process does: everything, only serving forecasts, or only training. */
public enum Role {
    /** Serve forecasts and train (the demo, and single-instance deployments). */
    ALL,
    /** Serve forecasts; models arrive from the model topic. Scale these with the input partitions. */
    SERVE,
    /** Train only: read the events under its own application id and publish models (run exactly one). */
    TRAIN;

    public boolean serves() {
        return this != TRAIN;
    }

    public boolean trains() {
        return this != SERVE;
    }
}
