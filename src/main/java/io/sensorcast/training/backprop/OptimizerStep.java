package io.sensorcast.training.backprop;

/**
 * One parameter update as ND4J's updaters compute it in float (libnd4j's {@code adam_updater},
 * {@code rms_prop_updater} and {@code sgd_updater}), subtracted from the parameters as DL4J's step function does.
 *
 * <ul>
 *   <li>Adam: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g²}, step {@code m a / (sqrt(v) + eps)} with
 *       {@code a = lr sqrt(1 - b2^(t+1)) / (1 - b1^(t+1))}, t DL4J's iteration count (from 0);</li>
 *   <li>RMSProp: {@code s = decay s + (1-decay) g²}, step {@code lr g / (sqrt(s) + eps)};</li>
 *   <li>SGD: step {@code lr g}.</li>
 * </ul>
 */
final class OptimizerStep {

    /** The update rules; their state vectors per parameter are {@link #stateBlocks}. */
    enum Rule {
        ADAM(2), RMSPROP(1), SGD(0);

        private final int stateBlocks;

        Rule(int stateBlocks) {
            this.stateBlocks = stateBlocks;
        }

        /** Parameter-count vectors of state ND4J keeps for the rule. */
        int stateBlocks() {
            return stateBlocks;
        }
    }

    private final Rule rule;
    private final float learningRate;
    private final float beta1;
    private final float beta2;
    private final float epsilon;
    /** Adam's bias-corrected step size of the current iteration. */
    private float alpha;

    /** @param beta1 Adam's beta1 or RMSProp's decay; @param beta2 Adam's beta2 */
    OptimizerStep(Rule rule, double learningRate, double beta1, double beta2, double epsilon) {
        this.rule = rule;
        this.learningRate = (float) learningRate;
        this.beta1 = (float) beta1;
        this.beta2 = (float) beta2;
        this.epsilon = (float) epsilon;
    }

    Rule rule() {
        return rule;
    }

    /** Sets the iteration the next {@link #apply} calls belong to (DL4J's count before the update). */
    void startIteration(int iteration) {
        if (rule == Rule.ADAM) {
            float t = iteration + 1;
            float b1t = (float) Math.pow(beta1, t);
            float b2t = (float) Math.pow(beta2, t);
            float a = learningRate * (float) Math.sqrt(1f - b2t) / (1f - b1t);
            alpha = Float.isNaN(a) || a == 0 || Float.isInfinite(a) ? epsilon : a;
        }
    }

    /** Updates one array's state and values from its (divided and clipped) gradient. */
    void apply(float[] value, float[] g, float[] first, float[] second) {
        int n = value.length;
        switch (rule) {
            case ADAM -> {
                float b1 = beta1;
                float b2 = beta2;
                float c1 = 1f - b1;
                float c2 = 1f - b2;
                float a = alpha;
                float eps = epsilon;
                for (int j = 0; j < n; j++) {
                    float gj = g[j];
                    float m = b1 * first[j] + gj * c1;
                    float v = b2 * second[j] + gj * gj * c2;
                    first[j] = m;
                    second[j] = v;
                    value[j] -= m * a / ((float) Math.sqrt(v) + eps);
                }
            }
            case RMSPROP -> {
                float d = beta1;
                float c = 1f - d;
                float lr = learningRate;
                float eps = epsilon;
                for (int j = 0; j < n; j++) {
                    float gj = g[j];
                    float s = first[j] * d + gj * gj * c;
                    first[j] = s;
                    value[j] -= lr * gj / ((float) Math.sqrt(s) + eps);
                }
            }
            case SGD -> {
                float lr = learningRate;
                for (int j = 0; j < n; j++) {
                    value[j] -= lr * g[j];
                }
            }
        }
    }
}
