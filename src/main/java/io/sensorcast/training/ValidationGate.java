package io.sensorcast.training;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Decides whether a freshly fitted candidate may replace the serving model: both are scored on the same
 * held-out recent windows, and the candidate passes only with finite weights and an error no worse than
 * the serving model's within the tolerance. Errors are mean absolute (or, for an MSE-trained network, mean
 * squared) errors over every forecast output in
 * normalised units, counted after a warm-up so both models start each window from a settled state.
 */
public final class ValidationGate {

    /** Held-out errors of the candidate, the serving model and persistence. */
    public record Scores(double candidate, double serving, double persistence) {
    }

    /** The gate's decision; {@code reason} says why in a sentence. */
    public record Verdict(boolean accepted, String reason, Scores scores) {
    }

    private final double tolerance;
    private final int warmup;

    private final boolean absolute;

    public ValidationGate(double tolerance, int warmup) {
        this(tolerance, warmup, false);
    }

    /** @param absolute score by mean absolute error instead of mean squared error */
    public ValidationGate(double tolerance, int warmup, boolean absolute) {
        this.tolerance = tolerance;
        this.warmup = warmup;
        this.absolute = absolute;
    }

    public Verdict judge(MultiLayerNetwork candidate, MultiLayerNetwork serving, DataSet heldOut) {
        double servingError = score(serving, heldOut);
        double persistence = persistenceScore(heldOut);
        if (!allFinite(candidate.params())) {
            return new Verdict(false, "candidate has NaN or infinite weights",
                    new Scores(Double.NaN, servingError, persistence));
        }
        double candidateError = score(candidate, heldOut);
        Scores scores = new Scores(candidateError, servingError, persistence);
        if (!Double.isFinite(candidateError)) {
            return new Verdict(false, "candidate's held-out error is not finite", scores);
        }
        double limit = servingError * (1 + tolerance);
        if (Double.isFinite(servingError) && candidateError > limit) {
            return new Verdict(false, String.format("candidate's held-out error %.5f is worse than the serving model's"
                    + " %.5f (tolerance %.1f%%)", candidateError, servingError, 100 * tolerance), scores);
        }
        return new Verdict(true, String.format("candidate's held-out error %.5f <= serving %.5f x %.3f",
                candidateError, servingError, 1 + tolerance), scores);
    }

    /** Mean squared error of a network's forecasts over the held-out windows, after the warm-up. */
    public double score(MultiLayerNetwork net, DataSet heldOut) {
        net.rnnClearPreviousState();
        INDArray predicted = net.output(heldOut.getFeatures());
        net.rnnClearPreviousState();
        long length = predicted.size(2);
        long from = Math.min(warmup, length - 1);
        INDArray diff = predicted.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, length))
                .sub(heldOut.getLabels().get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, length)));
        return absolute ? Transforms.abs(diff).meanNumber().doubleValue()
                : diff.muli(diff).meanNumber().doubleValue();
    }

    /**
     * The same error for persistence (every future value forecast as the current one): labels are changes
     * from the current value, so persistence's error is the label itself.
     */
    public double persistenceScore(DataSet heldOut) {
        INDArray labels = heldOut.getLabels();
        long length = labels.size(2);
        long from = Math.min(warmup, length - 1);
        INDArray kept = labels.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, length));
        return absolute ? Transforms.abs(kept).meanNumber().doubleValue()
                : kept.mul(kept).meanNumber().doubleValue();
    }

    private static boolean allFinite(INDArray params) {
        for (float v : params.toFloatVector()) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
