package io.sensorcast.recurrent;

/** The update rules the training network can apply to its (clipped) gradient. */
public enum Optimizer {
    /** Adam: per-parameter step sizes from running first and second moments; the default. */
    ADAM,
    /** Plain stochastic gradient descent: the step is the learning rate times the clipped gradient. */
    SGD,
    /** RMSProp: the gradient divided by a running root mean square of past gradients. */
    RMSPROP
}
