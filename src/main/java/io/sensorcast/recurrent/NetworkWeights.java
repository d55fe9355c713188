package io.sensorcast.recurrent;

/**
 * An immutable snapshot of a whole network's weights, the unit that serving swaps atomically.
 * Arrays are never mutated after construction: build a new snapshot instead.
 *
 * @param spec   the network's shape
 * @param layers recurrent layers, input side first
 * @param headW  linear head, lastHidden x outputSize, row-major
 * @param headB  head bias, outputSize
 */
public record NetworkWeights(NetworkSpec spec, LayerWeights[] layers, float[] headW, float[] headB) {
}
