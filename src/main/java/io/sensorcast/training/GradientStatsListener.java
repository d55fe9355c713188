package io.sensorcast.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records, for every training iteration, each layer's gradient norm as DL4J's {@code ClipL2PerLayer} sees it
 * before clipping, and whether the clip threshold was exceeded.
 *
 * <p>The gradient is read in {@link #onGradientCalculation}: later, by {@code iterationDone}, DL4J has
 * overwritten it in place with the optimiser's update. At that earlier point it is still the gradient of the
 * loss summed over the mini-batch; DL4J divides it by the mini-batch size before clipping, so the norms here
 * are divided the same way, which makes them directly comparable with the clip threshold.
 *
 * <p>Not thread-safe; attach one instance to one network at a time.
 */
public final class GradientStatsListener extends BaseTrainingListener {

    /**
     * One iteration's pre-clip gradient.
     *
     * @param layerNorms L2 norm of each layer's whole gradient (all its parameters together), in DL4J's
     *                   parameter order
     * @param maxNorm    the largest of them
     * @param clipped    whether any layer's norm exceeded the threshold, i.e. whether clipping changed the step
     */
    public record IterationGradients(double[] layerNorms, double maxNorm, boolean clipped) {

        public IterationGradients {
            layerNorms = layerNorms.clone();
        }

        @Override
        public double[] layerNorms() {
            return layerNorms.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IterationGradients g && Arrays.equals(layerNorms, g.layerNorms)
                    && Double.compare(maxNorm, g.maxNorm) == 0 && clipped == g.clipped;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(layerNorms) * 31 + Double.hashCode(maxNorm) * 2 + (clipped ? 1 : 0);
        }

        @Override
        public String toString() {
            return "IterationGradients" + Arrays.toString(layerNorms) + (clipped ? " clipped" : "");
        }
    }

    private final double clipThreshold;
    private final List<IterationGradients> iterations = new ArrayList<>();

    /** @param clipThreshold the per-layer L2 threshold an iteration counts as clipped against */
    public GradientStatsListener(double clipThreshold) {
        if (!(clipThreshold > 0) || Double.isInfinite(clipThreshold)) {
            throw new IllegalArgumentException("clipThreshold must be positive and finite: " + clipThreshold);
        }
        this.clipThreshold = clipThreshold;
    }

    @Override
    public void onGradientCalculation(Model model) {
        // Same divisor as BaseMultiLayerUpdater.divideByMinibatch, which runs right before clipping.
        double divisor = model.conf().isMiniBatch() ? Math.max(1, model.batchSize()) : 1;
        record(layerNorms(model.gradient(), model.paramTable().keySet(), divisor));
    }

    /** Records one iteration from its per-layer norms (the hand-written trainer reports them this way). */
    void record(double[] layerNorms) {
        double max = 0;
        for (double n : layerNorms) {
            max = Math.max(max, n);
        }
        iterations.add(new IterationGradients(layerNorms, max, max > clipThreshold));
    }

    /**
     * Per-layer L2 norms in parameter order (the gradient lists its variables in backpropagation order, last
     * layer first); a variable {@code layer_param} belongs to {@code layer}, as DL4J's updater groups it.
     */
    static double[] layerNorms(Gradient gradient, Collection<String> parameterOrder, double divisor) {
        Map<String, Double> squares = new LinkedHashMap<>();
        for (String key : parameterOrder) {
            INDArray variable = gradient.getGradientFor(key);
            if (variable == null) {
                continue;
            }
            int cut = key.lastIndexOf('_');
            String layer = cut < 0 ? key : key.substring(0, cut);
            double norm = variable.norm2Number().doubleValue() / divisor;
            squares.merge(layer, norm * norm, Double::sum);
        }
        return squares.values().stream().mapToDouble(Math::sqrt).toArray();
    }

    public double clipThreshold() {
        return clipThreshold;
    }

    /** Every iteration recorded since creation or the last {@link #reset()}, oldest first. */
    public List<IterationGradients> iterations() {
        return List.copyOf(iterations);
    }

    public int iterationCount() {
        return iterations.size();
    }

    /** Mean over iterations of the largest layer norm; NaN before the first iteration. */
    public double meanPreClipNorm() {
        return iterations.stream().mapToDouble(IterationGradients::maxNorm).average().orElse(Double.NaN);
    }

    /** Largest layer norm of any iteration; NaN before the first iteration. */
    public double maxPreClipNorm() {
        return iterations.stream().mapToDouble(IterationGradients::maxNorm).max().orElse(Double.NaN);
    }

    /** Share of iterations in which at least one layer was clipped; NaN before the first iteration. */
    public double clippedFraction() {
        return iterations.isEmpty() ? Double.NaN
                : iterations.stream().filter(IterationGradients::clipped).count() / (double) iterations.size();
    }

    /** Forgets every recorded iteration. */
    public void reset() {
        iterations.clear();
    }
}
