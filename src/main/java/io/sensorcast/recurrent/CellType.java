package io.sensorcast.recurrent;

/** The recurrent cells a pipeline can select. */
public enum CellType {
    /** Long short-term memory (DL4J {@code LSTM}): four gate blocks, hidden and cell state. */
    LSTM(4, true),
    /** Vanilla (Elman) tanh RNN (DL4J {@code SimpleRnn}): one block, hidden state only. */
    RNN(1, false),
    /** Gated recurrent unit ({@link GruLayer}): reset, update and candidate blocks, hidden state only. */
    GRU(3, false);

    private final int gateBlocks;
    private final boolean hasCellState;

    CellType(int gateBlocks, boolean hasCellState) {
        this.gateBlocks = gateBlocks;
        this.hasCellState = hasCellState;
    }

    /** How many H-wide blocks the pre-activation has (4 for LSTM, 3 for GRU, 1 for RNN). */
    public int gateBlocks() {
        return gateBlocks;
    }

    public boolean hasCellState() {
        return hasCellState;
    }
}
