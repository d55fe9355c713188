package io.sensorcast.training;

import io.sensorcast.recurrent.LaplaceHead;
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
 *
 * <p>A network with a distribution head is also judged by its intervals: the mean quantile (pinball) loss of its
 * Laplace distributions at the published quantile levels, which rewards sharp bands only while they keep their
 * coverage. A candidate that narrows its bands by breaking coverage, or widens them for nothing, scores worse there
 * and is refused even when its point error passes.
 */
public final class ValidationGate {

    /**
     * Held-out errors of the candidate, the serving model and persistence; with a distribution head also the
     * candidate's and the serving model's quantile loss (else NaN).
     */
    public record Scores(double candidate, double serving, double persistence, double candidateQuantileLoss,
                         double servingQuantileLoss) {

        public Scores(double candidate, double serving, double persistence) {
            this(candidate, serving, persistence, Double.NaN, Double.NaN);
        }
    }

    /** The gate's decision; {@code reason} says why in a sentence. */
    public record Verdict(boolean accepted, String reason, Scores scores) {
    }

    private final double tolerance;
    private final int warmup;

    private final boolean absolute;
    /** Quantile levels the intervals are judged at; empty for networks without a distribution head. */
    private final double[] levels;

    public ValidationGate(double tolerance, int warmup) {
        this(tolerance, warmup, false);
    }

    /** @param absolute score by mean absolute error instead of mean squared error */
    public ValidationGate(double tolerance, int warmup, boolean absolute) {
        this(tolerance, warmup, absolute, new double[0]);
    }

    /** @param levels judge the distribution head's quantiles at these levels too (empty: point error only) */
    public ValidationGate(double tolerance, int warmup, boolean absolute, double[] levels) {
        this.tolerance = tolerance;
        this.warmup = warmup;
        this.absolute = absolute;
        this.levels = levels.clone();
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
        if (levels.length == 0) {
            return new Verdict(true, String.format("candidate's held-out error %.5f <= serving %.5f x %.3f",
                    candidateError, servingError, 1 + tolerance), scores);
        }
        double candidateLoss = quantileLoss(candidate, heldOut);
        double servingLoss = quantileLoss(serving, heldOut);
        scores = new Scores(candidateError, servingError, persistence, candidateLoss, servingLoss);
        if (!Double.isFinite(candidateLoss)) {
            return new Verdict(false, "candidate's held-out quantile loss is not finite", scores);
        }
        if (Double.isFinite(servingLoss) && candidateLoss > servingLoss * (1 + tolerance)) {
            return new Verdict(false, String.format("candidate's held-out quantile loss %.5f is worse than the serving"
                    + " model's %.5f (tolerance %.1f%%): its intervals are less calibrated or less sharp",
                    candidateLoss, servingLoss, 100 * tolerance), scores);
        }
        return new Verdict(true, String.format("candidate's held-out error %.5f <= serving %.5f x %.3f and quantile"
                + " loss %.5f <= %.5f x %.3f", candidateError, servingError, 1 + tolerance, candidateLoss, servingLoss,
                1 + tolerance), scores);
    }

    /**
     * Mean pinball loss, over the levels and every forecast output after the warm-up, of the quantiles of the
     * network's Laplace distributions (location {@code m}, scale {@code b}: {@code m + b x offset(q)}).
     */
    public double quantileLoss(MultiLayerNetwork net, DataSet heldOut) {
        INDArray predicted = predict(net, heldOut);
        INDArray labels = heldOut.getLabels();
        long f = labels.size(1);
        long length = predicted.size(2);
        long from = Math.min(warmup, length - 1);
        INDArray location = predicted.get(NDArrayIndex.all(), NDArrayIndex.interval(0, f),
                NDArrayIndex.interval(from, length));
        INDArray raw = predicted.get(NDArrayIndex.all(), NDArrayIndex.interval(f, 2 * f),
                NDArrayIndex.interval(from, length));
        INDArray actual = labels.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(from, length));
        double[] m = location.dup().data().asDouble();
        double[] r = raw.dup().data().asDouble();
        double[] y = actual.dup().data().asDouble();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            double b = LaplaceHead.scale(r[i]);
            for (double q : levels) {
                double error = y[i] - (m[i] + b * LaplaceHead.quantileOffset(q));
                sum += error >= 0 ? q * error : (q - 1) * error;
            }
        }
        return sum / ((double) y.length * levels.length);
    }

    private static INDArray predict(MultiLayerNetwork net, DataSet heldOut) {
        net.rnnClearPreviousState();
        INDArray predicted = net.output(heldOut.getFeatures());
        net.rnnClearPreviousState();
        return predicted;
    }

    /** Mean squared error of a network's forecasts over the held-out windows, after the warm-up. */
    public double score(MultiLayerNetwork net, DataSet heldOut) {
        INDArray predicted = predict(net, heldOut);
        long length = predicted.size(2);
        long from = Math.min(warmup, length - 1);
        // A distribution head's scales follow its locations; the point error is the locations'.
        INDArray diff = predicted.get(NDArrayIndex.all(), NDArrayIndex.interval(0, heldOut.getLabels().size(1)),
                        NDArrayIndex.interval(from, length))
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
