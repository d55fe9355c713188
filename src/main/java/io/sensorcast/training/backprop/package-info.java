/**
 * The trainer's hand-written truncated BPTT in plain Java: forward and backward passes of the recurrent cells and
 * the linear head, the losses, DL4J's per-layer clipping and ND4J's optimisers, over a DL4J network's parameters.
 */
package io.sensorcast.training.backprop;
