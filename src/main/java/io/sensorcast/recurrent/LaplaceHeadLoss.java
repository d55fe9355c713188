package io.sensorcast.recurrent;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.linalg.lossfunctions.ILossFunction;

/**
 * The distribution head's loss: the output layer is twice as wide as the labels, a location then a raw scale per
 * label. The location is fitted by the mean absolute error exactly as {@code LossMAE} fits a point head (its
 * gradient is MAE's), and the scale by the Laplace negative log-likelihood of the location's error, {@code |e| / b
 * + ln b} with {@code b = LaplaceHead.scale(raw)}, whose minimum is at {@code b = |e|} on average: the mean absolute
 * error the location will make. The error reaches the scale's term as a constant, so the scale never pulls the
 * location towards the data it is unsure of; the point forecast is trained as it was, and the two terms share the
 * recurrent layers.
 *
 * <p>Per example the score is {@code (1/F) sum_j (|e_j| + |e_j| / b_j + ln b_j)}, F labels, so with a fixed scale
 * its location gradient is exactly MAE's. Stateless; DL4J serialises it by class name with the network.
 */
public final class LaplaceHeadLoss implements ILossFunction {

    private static final long serialVersionUID = 1L;

    /** The per-example score, {@code [examples, 1]}. */
    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Parts p = parts(labels, preOutput, activationFn);
        INDArray perOutput = p.absError.add(p.absError.div(p.scale)).addi(Transforms.log(p.scale, true));
        INDArray score = perOutput.sum(true, 1).divi(labels.size(1));
        if (mask != null) {
            score.muli(rowMask(mask));
        }
        return score;
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double sum = computeScoreArray(labels, preOutput, activationFn, mask).sumNumber().doubleValue();
        return average ? sum / labels.size(0) : sum;
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        Parts p = parts(labels, preOutput, activationFn);
        long f = labels.size(1);
        INDArray dLda = preOutput.ulike();
        // Location: MAE's gradient, sign(location - label) / F.
        dLda.get(NDArrayIndex.all(), NDArrayIndex.interval(0, f)).assign(Transforms.sign(p.error.neg()).divi(f));
        // Scale: d/draw (|e| / b + ln b) = (1 / b - |e| / b^2) x softplus'(raw), softplus' = sigmoid.
        INDArray dScale = p.scale.rdiv(1.0).subi(p.absError.div(p.scale.mul(p.scale)));
        dLda.get(NDArrayIndex.all(), NDArrayIndex.interval(f, 2 * f)).assign(
                dScale.muli(Transforms.sigmoid(p.raw, true)).divi(f));
        INDArray gradient = activationFn.backprop(preOutput.dup(), dLda).getFirst();
        if (mask != null) {
            gradient.muliColumnVector(rowMask(mask));
        }
        return gradient;
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                         INDArray mask, boolean average) {
        return new Pair<>(computeScore(labels, preOutput, activationFn, mask, average),
                computeGradient(labels, preOutput, activationFn, mask));
    }

    @Override
    public String name() {
        return "LaplaceHeadLoss";
    }

    @Override
    public String toString() {
        return name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LaplaceHeadLoss;
    }

    @Override
    public int hashCode() {
        return LaplaceHeadLoss.class.hashCode();
    }

    /** The error of the location, its absolute value, the raw scale output and the scale, each {@code [N, F]}. */
    private record Parts(INDArray error, INDArray absError, INDArray raw, INDArray scale) {
    }

    private static Parts parts(INDArray labels, INDArray preOutput, IActivation activationFn) {
        long f = labels.size(1);
        if (preOutput.size(1) != 2 * f) {
            throw new IllegalArgumentException("a Laplace head needs twice as many outputs as labels: "
                    + preOutput.size(1) + " outputs for " + f + " labels");
        }
        INDArray out = activationFn.getActivation(preOutput.dup(), true);
        INDArray location = out.get(NDArrayIndex.all(), NDArrayIndex.interval(0, f));
        INDArray raw = out.get(NDArrayIndex.all(), NDArrayIndex.interval(f, 2 * f)).dup();
        INDArray error = labels.sub(location);
        INDArray scale = Transforms.softPlus(raw, true).addi(LaplaceHead.MIN_SCALE);
        return new Parts(error, Transforms.abs(error, true), raw, scale);
    }

    /** A per-example mask as a column: DL4J masks recurrent outputs per time step, one value per row. */
    private static INDArray rowMask(INDArray mask) {
        return mask.size(1) == 1 ? mask : mask.max(true, 1);
    }
}
