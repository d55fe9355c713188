package io.sensorcast.training.backprop;

import io.sensorcast.recurrent.DenseLoops;
import io.sensorcast.recurrent.GruLayer;
import io.sensorcast.recurrent.LaplaceHeadLoss;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.impl.LossMAE;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fits a DL4J network's parameters by truncated BPTT in plain Java, step for step what {@code
 * MultiLayerNetwork.fit(DataSet)} does with the networks {@code Dl4jNetworks.create} builds, without ND4J's
 * per-operation overhead. Per mini-batch: the state starts at zero; each segment of the TBPTT length runs forward
 * from the state the previous one ended in, back-propagates through all its steps (forward length = backward
 * length), divides the gradient by the mini-batch size, clips it per layer ({@code ClipL2PerLayer}) and applies the
 * network's optimiser with DL4J's iteration count.
 *
 * <p>The network stays the model: {@link #load} copies its parameters, optimiser state and iteration count in, and
 * {@link #store} writes them back, so a fit here and a fit by DL4J continue each other. Buffers are sized once for
 * the largest mini-batch and segment; fitting allocates nothing. Not thread-safe.
 */
public final class TbpttTrainer {

    private final MultiLayerNetwork net;
    private final int maxBatch;
    private final int segment;
    private final int inputSize;
    private final int labels;
    private final RecurrentPass[] layers;
    private final LinearHead head;
    private final TrainableParameters parameters;
    private final OptimizerStep optimizer;
    private final double clipThreshold;
    private final float[][][] x;
    private final float[][][] y;
    /** dL/d(output of layer l) per step and sequence. */
    private final float[][][][] outputGradients;
    private final double[] norms;
    private int iteration;

    /**
     * A trainer for {@code net} fitting mini-batches of at most {@code maxBatch} sequences of at most
     * {@code maxLength} steps.
     *
     * @throws IllegalArgumentException when {@link #unsupported} names a reason
     */
    public TbpttTrainer(MultiLayerNetwork net, int maxBatch, int maxLength) {
        Optional<String> reason = unsupported(net);
        if (reason.isPresent()) {
            throw new IllegalArgumentException("the hand-written trainer cannot fit this network: " + reason.get());
        }
        if (maxBatch < 1 || maxLength < 1) {
            throw new IllegalArgumentException("maxBatch and maxLength must be at least 1: " + maxBatch + ", " + maxLength);
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        this.net = net;
        this.maxBatch = maxBatch;
        this.segment = conf.getBackpropType() == BackpropType.TruncatedBPTT
                ? Math.min(maxLength, conf.getTbpttFwdLength()) : maxLength;
        int recurrent = net.getnLayers() - 1;
        this.layers = new RecurrentPass[recurrent];
        this.parameters = new TrainableParameters(recurrent + 1);
        int offset = 0;
        for (int l = 0; l < recurrent; l++) {
            BaseRecurrentLayer layer = (BaseRecurrentLayer) layerConf(net, l);
            int in = (int) layer.getNIn();
            int units = (int) layer.getNOut();
            layers[l] = layer instanceof LSTM ? new LstmPass(in, units, maxBatch, segment)
                    : layer instanceof SimpleRnn ? new RnnPass(in, units, maxBatch, segment)
                    : new GruPass(in, units, maxBatch, segment);
            layers[l].register(parameters, l, offset);
            offset += layers[l].parameterCount();
        }
        RnnOutputLayer out = (RnnOutputLayer) layerConf(net, recurrent);
        HeadLoss loss = headLoss(out.getLossFn());
        int outputs = (int) out.getNOut();
        this.labels = loss == HeadLoss.LAPLACE ? outputs / 2 : outputs;
        this.head = new LinearHead((int) out.getNIn(), labels, loss, maxBatch, segment);
        head.register(parameters, recurrent, offset);
        if (parameters.count() != net.numParams()) {
            throw new IllegalStateException("laid out " + parameters.count() + " parameters, the network has "
                    + net.numParams());
        }
        BaseLayer first = (BaseLayer) layerConf(net, 0);
        this.optimizer = optimizer(first.getIUpdater());
        this.clipThreshold = first.getGradientNormalization() == GradientNormalization.ClipL2PerLayer
                ? first.getGradientNormalizationThreshold() : Double.NaN;
        this.inputSize = layers[0].inputSize;
        this.x = DenseLoops.cube(segment, maxBatch, inputSize);
        this.y = DenseLoops.cube(segment, maxBatch, labels);
        this.outputGradients = new float[recurrent][][][];
        for (int l = 0; l < recurrent; l++) {
            outputGradients[l] = DenseLoops.cube(segment, maxBatch, layers[l].units);
        }
        this.norms = new double[recurrent + 1];
    }

    /**
     * Why this trainer cannot reproduce DL4J's fit of {@code net}, or empty when it can: stacked LSTM (tanh, sigmoid
     * gates), SimpleRnn (tanh, no layer norm) or GRU layers of one kind under an identity RnnOutputLayer with MAE, MSE
     * or the Laplace head's loss; Adam, SGD or RMSProp without schedules, the same for every parameter; no
     * regularisation or dropout; no clipping or ClipL2PerLayer; NCW data; float32.
     */
    public static Optional<String> unsupported(MultiLayerNetwork net) {
        int n = net.getnLayers();
        if (n < 2) {
            return Optional.of("fewer than two layers");
        }
        if (net.params().dataType() != DataType.FLOAT) {
            return Optional.of("parameters are " + net.params().dataType() + ", not FLOAT");
        }
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        if (conf.getBackpropType() == BackpropType.TruncatedBPTT && conf.getTbpttFwdLength() != conf.getTbpttBackLength()) {
            return Optional.of("TBPTT backward length differs from the forward length");
        }
        Class<?> cell = null;
        IUpdater updater = null;
        GradientNormalization normalization = null;
        double threshold = 0;
        for (int l = 0; l < n; l++) {
            Layer layer = layerConf(net, l);
            boolean last = l == n - 1;
            if (!(layer instanceof BaseLayer base)) {
                return Optional.of("layer " + l + " is a " + layer.getClass().getSimpleName());
            }
            if (last) {
                if (!(layer instanceof RnnOutputLayer out) || !(out.getActivationFn() instanceof ActivationIdentity)
                        || !out.hasBias() || out.getRnnDataFormat() != RNNFormat.NCW) {
                    return Optional.of("the output layer is not an identity RnnOutputLayer with bias on NCW data");
                }
                ILossFunction loss = out.getLossFn();
                if (!(loss instanceof LaplaceHeadLoss || loss instanceof LossMAE mae && mae.getWeights() == null
                        || loss instanceof LossMSE mse && mse.getWeights() == null)) {
                    return Optional.of("loss " + loss);
                }
            } else {
                Optional<String> cellReason = cellUnsupported(layer, l);
                if (cellReason.isPresent()) {
                    return cellReason;
                }
                if (cell != null && cell != layer.getClass()) {
                    return Optional.of("recurrent layers of different kinds");
                }
                cell = layer.getClass();
            }
            if (base.getIDropout() != null || !base.getRegularization().isEmpty()
                    || !base.getRegularizationBias().isEmpty()) {
                return Optional.of("layer " + l + " has dropout or regularisation");
            }
            if (base.getBiasUpdater() != null && !base.getBiasUpdater().equals(base.getIUpdater())) {
                return Optional.of("layer " + l + " has its own bias updater");
            }
            if (updater == null) {
                updater = base.getIUpdater();
                normalization = base.getGradientNormalization();
                threshold = base.getGradientNormalizationThreshold();
            } else if (!updater.equals(base.getIUpdater()) || normalization != base.getGradientNormalization()
                    || threshold != base.getGradientNormalizationThreshold()) {
                return Optional.of("layers differ in optimiser or gradient normalisation");
            }
        }
        if (!(updater instanceof Adam a && a.getLearningRateSchedule() == null
                || updater instanceof Sgd s && s.getLearningRateSchedule() == null
                || updater instanceof RmsProp r && r.getLearningRateSchedule() == null)) {
            return Optional.of("optimiser " + updater);
        }
        if (normalization != GradientNormalization.None && normalization != GradientNormalization.ClipL2PerLayer) {
            return Optional.of("gradient normalisation " + normalization);
        }
        if (!conf.getConf(0).isMiniBatch()) {
            return Optional.of("not a mini-batch configuration");
        }
        Updater u = net.getUpdater();
        if (!(u instanceof MultiLayerUpdater m) || m.getUpdaterBlocks().size() != 1) {
            return Optional.of("the optimiser state is not one updater block");
        }
        return Optional.empty();
    }

    private static Optional<String> cellUnsupported(Layer layer, int index) {
        if (layer instanceof LSTM lstm) {
            return lstm.getActivationFn() instanceof ActivationTanH && lstm.getGateActivationFn() instanceof ActivationSigmoid
                    && lstm.getRnnDataFormat() == RNNFormat.NCW ? Optional.empty()
                    : Optional.of("LSTM layer " + index + " is not tanh with sigmoid gates on NCW data");
        }
        if (layer instanceof SimpleRnn rnn) {
            return rnn.getActivationFn() instanceof ActivationTanH && !rnn.hasLayerNorm()
                    && rnn.getRnnDataFormat() == RNNFormat.NCW ? Optional.empty()
                    : Optional.of("SimpleRnn layer " + index + " is not tanh without layer norm on NCW data");
        }
        if (layer instanceof GruLayer) {
            return Optional.empty();
        }
        return Optional.of("layer " + index + " is a " + layer.getClass().getSimpleName());
    }

    private static Layer layerConf(MultiLayerNetwork net, int l) {
        return net.getLayer(l).conf().getLayer();
    }

    private static HeadLoss headLoss(ILossFunction loss) {
        return loss instanceof LaplaceHeadLoss ? HeadLoss.LAPLACE : loss instanceof LossMAE ? HeadLoss.MAE : HeadLoss.MSE;
    }

    private static OptimizerStep optimizer(IUpdater updater) {
        if (updater instanceof Adam a) {
            return new OptimizerStep(OptimizerStep.Rule.ADAM, a.getLearningRate(), a.getBeta1(), a.getBeta2(), a.getEpsilon());
        }
        if (updater instanceof RmsProp r) {
            return new OptimizerStep(OptimizerStep.Rule.RMSPROP, r.getLearningRate(), r.getRmsDecay(), 0, r.getEpsilon());
        }
        return new OptimizerStep(OptimizerStep.Rule.SGD, ((Sgd) updater).getLearningRate(), 0, 0, 0);
    }

    /** Copies the network's parameters, optimiser state and iteration count in. */
    public void load() {
        parameters.load(net.params().toFloatVector());
        int blocks = optimizer.rule().stateBlocks();
        if (blocks > 0) {
            INDArray state = net.getUpdater().getStateViewArray();
            if (state == null || state.length() != (long) blocks * parameters.count()) {
                throw new IllegalStateException("optimiser state of " + (state == null ? 0 : state.length())
                        + " values, expected " + blocks * parameters.count());
            }
            parameters.loadState(state.toFloatVector(), blocks);
        }
        iteration = net.getIterationCount();
    }

    /** Writes the parameters, optimiser state and iteration count back into the network. */
    public void store() {
        float[] flat = new float[parameters.count()];
        parameters.store(flat);
        net.params().assign(Nd4j.create(flat, net.params().shape()));
        int blocks = optimizer.rule().stateBlocks();
        if (blocks > 0) {
            INDArray state = net.getUpdater().getStateViewArray();
            float[] view = new float[blocks * parameters.count()];
            parameters.storeState(view, blocks);
            state.assign(Nd4j.create(view, state.shape()));
        }
        net.setIterationCount(iteration);
    }

    /**
     * Fits one mini-batch as {@code net.fit(DataSet)} would, one update per TBPTT segment.
     *
     * @param features {@code [n, D, length]} row-major, as {@code TrainingWindows} builds them
     * @param labels   {@code [n, F, length]} row-major
     * @param perIteration receives each update's per-layer pre-clip gradient norms (after the division by the
     *                     mini-batch size; the array is reused)
     * @return the mean over segments of DL4J's score (the loss summed over a segment's steps, averaged over sequences)
     */
    public double fitBatch(float[] features, float[] labels, int n, int length, Consumer<double[]> perIteration) {
        checkBatch(features, labels, n, length);
        clearState(n);
        double scores = 0;
        int segments = 0;
        for (int start = 0; start < length; start += segment) {
            int steps = Math.min(segment, length - start);
            scores += gradient(features, labels, n, length, start, steps);
            parameters.divideAndClip(n, clipThreshold, norms);
            perIteration.accept(norms);
            optimizer.startIteration(iteration);
            parameters.update(optimizer);
            iteration++;
            for (RecurrentPass layer : layers) {
                layer.carryState(n);
            }
            segments++;
        }
        return scores / segments;
    }

    /**
     * DL4J's {@code computeGradientAndScore} on one segment of at most the TBPTT length from a zero state: writes
     * the gradient summed over the mini-batch (not yet divided or clipped) into {@code flatGradient} in DL4J's
     * parameter order and returns the score.
     */
    public double gradientAndScore(float[] features, float[] labels, int n, int length, float[] flatGradient) {
        checkBatch(features, labels, n, length);
        if (length > segment) {
            throw new IllegalArgumentException(length + " steps are more than one segment of " + segment);
        }
        clearState(n);
        double score = gradient(features, labels, n, length, 0, length);
        parameters.storeGradients(flatGradient);
        return score;
    }

    private void checkBatch(float[] features, float[] labels, int n, int length) {
        if (n < 1 || n > maxBatch || features.length != n * inputSize * length || labels.length != n * this.labels * length) {
            throw new IllegalArgumentException("a mini-batch of " + n + " sequences of " + length + " steps needs "
                    + n * inputSize * length + " features and " + n * this.labels * length + " labels (at most "
                    + maxBatch + " sequences), got " + features.length + " and " + labels.length);
        }
    }

    private void clearState(int n) {
        for (RecurrentPass layer : layers) {
            layer.clearState(n);
        }
    }

    /** Forward and backward over steps [start, start + steps); returns the segment's score. */
    private double gradient(float[] features, float[] labelValues, int n, int length, int start, int steps) {
        copySegment(features, inputSize, x, n, length, start, steps);
        copySegment(labelValues, labels, y, n, length, start, steps);
        float[][][] in = x;
        for (RecurrentPass layer : layers) {
            layer.forward(in, n, steps);
            in = layer.outputs;
        }
        double score = head.forward(in, y, n, steps) / n;
        parameters.zeroGradients();
        int top = layers.length - 1;
        head.backward(in, outputGradients[top], n, steps);
        // Kept before a replay below overwrites the states: DL4J carries what the forward pass ended in.
        for (RecurrentPass layer : layers) {
            layer.keepState(n, steps);
        }
        for (int l = top; l >= 0; l--) {
            float[][][] layerInput = l == 0 ? x : layers[l - 1].outputs;
            if (start > 0 && layers[l].replaysFromZeroState()) {
                layers[l].clearState(n);
                layers[l].forward(layerInput, n, steps);
            }
            layers[l].backward(layerInput, outputGradients[l], l == 0 ? null : outputGradients[l - 1], n, steps);
        }
        return score;
    }

    /** {@code into[t][s][d] = values[(s * width + d) * length + start + t]}. */
    private static void copySegment(float[] values, int width, float[][][] into, int n, int length, int start, int steps) {
        for (int s = 0; s < n; s++) {
            for (int d = 0; d < width; d++) {
                int at = (s * width + d) * length + start;
                for (int t = 0; t < steps; t++) {
                    into[t][s][d] = values[at + t];
                }
            }
        }
    }
}
