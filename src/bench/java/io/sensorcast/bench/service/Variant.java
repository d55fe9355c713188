package io.sensorcast.bench.service;

import java.util.Locale;

/** The pipelines the service harnesses compare. */
enum Variant {
    /** Parsing, state read and write and publishing, without the recurrent step. */
    BASELINE,
    /** The shipped serving topology with training off. */
    FORECASTER,
    /** The shipped serving topology with the online trainer running beside it, as role {@code all} does. */
    TRAINING,
    /** As {@link #TRAINING}, with the trainer not paced ({@code training.cpuShare: 1}). */
    TRAINING_UNPACED;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Variant of(String label) {
        try {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown variant '" + label + "'; known: baseline, forecaster, training, training_unpaced", e);
        }
    }
}
