package io.sensorcast.recurrent;

/**
 * One recurrent layer's weights in DL4J's layout, row-major: {@code w[i*G*H + j]} is input i to
 * pre-activation j; {@code rw[k*G*H + j]} is hidden unit k to pre-activation j; G is the cell's gate
 * block count. For LSTM the blocks are candidate (tanh), forget, output, input (each H wide).
 * Never mutated after construction.
 *
 * @param inputSize  this layer's input width
 * @param hiddenSize H
 * @param w          input weights, inputSize x G*H
 * @param rw         recurrent weights, H x G*H
 * @param b          bias, G*H
 */
public record LayerWeights(int inputSize, int hiddenSize, float[] w, float[] rw, float[] b) {
}
