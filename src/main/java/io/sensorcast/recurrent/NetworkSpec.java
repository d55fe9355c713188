package io.sensorcast.recurrent;

import java.util.Arrays;

/**
 * The shape of a forecasting network: cell type, input width, stacked hidden sizes and head width.
 *
 * @param cell        recurrent cell of every layer
 * @param inputSize   D, features per step
 * @param hiddenSizes H of each stacked layer, input side first
 * @param outputSize  head width (horizon times forecast channels)
 */
public record NetworkSpec(CellType cell, int inputSize, int[] hiddenSizes, int outputSize) {

    public NetworkSpec {
        if (inputSize < 1 || outputSize < 1 || hiddenSizes.length < 1) {
            throw new IllegalArgumentException("network needs inputSize, outputSize and at least one layer");
        }
        for (int h : hiddenSizes) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden sizes must be positive: " + Arrays.toString(hiddenSizes));
            }
        }
        hiddenSizes = hiddenSizes.clone();
    }

    @Override
    public int[] hiddenSizes() {
        return hiddenSizes.clone();
    }

    public int layerCount() {
        return hiddenSizes.length;
    }

    public int hiddenSize(int layer) {
        return hiddenSizes[layer];
    }

    /** Input width of layer {@code l}: D for the first, the previous H after that. */
    public int layerInputSize(int layer) {
        return layer == 0 ? inputSize : hiddenSizes[layer - 1];
    }

    public int lastHiddenSize() {
        return hiddenSizes[hiddenSizes.length - 1];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkSpec s && cell == s.cell && inputSize == s.inputSize
                && outputSize == s.outputSize && Arrays.equals(hiddenSizes, s.hiddenSizes);
    }

    @Override
    public int hashCode() {
        return ((cell.hashCode() * 31 + inputSize) * 31 + outputSize) * 31 + Arrays.hashCode(hiddenSizes);
    }

    @Override
    public String toString() {
        return cell + " D=" + inputSize + " H=" + Arrays.toString(hiddenSizes) + " out=" + outputSize;
    }
}
