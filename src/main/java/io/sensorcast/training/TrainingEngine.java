package io.sensorcast.training;

import java.util.Locale;

/** What fits the network's parameters in a {@link SequenceFitter} ({@code training.engine}). */
public enum TrainingEngine {
    /**
     * The hand-written truncated BPTT ({@link io.sensorcast.training.backprop.TbpttTrainer}): DL4J's fit computed in
     * plain Java without ND4J's per-operation overhead; used for every network it supports.
     */
    JAVA,
    /** DL4J's own {@code MultiLayerNetwork.fit}: the reference the hand-written trainer is tested against. */
    DL4J;

    /** The engine a {@code training.engine} value names. */
    public static TrainingEngine of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
