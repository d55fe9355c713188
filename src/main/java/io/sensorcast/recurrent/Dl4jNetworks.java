package io.sensorcast.recurrent;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Builds the DL4J training network whose weights {@link RecurrentKernel} serves. */
public final class Dl4jNetworks {

    /** DL4J's usual choice: start by remembering, so early gradients flow through the cell state. */
    static final double FORGET_GATE_BIAS = 1.0;

    private Dl4jNetworks() {
    }

    /**
     * An initialised float32 network for {@code spec}: stacked LSTM (tanh, sigmoid gates), SimpleRnn
     * (tanh) or {@link GruLayer} layers under an identity {@link RnnOutputLayer} with MAE, MSE or the distribution
     * head's loss, Xavier init, the chosen optimiser,
     * per-layer L2 gradient clipping (see {@link TrainingOptions} for why) and truncated BPTT. The result is
     * not thread-safe.
     */
    public static MultiLayerNetwork create(NetworkSpec spec, TrainingOptions options, long seed) {
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER)
                .updater(updater(options.optimizer(), options.learningRate()))
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(options.gradientClipThreshold())
                .list();
        for (int l = 0; l < spec.layerCount(); l++) {
            layers.layer(recurrentLayer(spec.cell(), spec.layerInputSize(l), spec.hiddenSize(l)));
        }
        if (options.distributionHead() && spec.outputSize() % 2 != 0) {
            throw new IllegalArgumentException("a distribution head needs an even output width: " + spec);
        }
        ILossFunction loss = options.distributionHead() ? new LaplaceHeadLoss()
                : options.absoluteLoss() ? LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR.getILossFunction()
                : LossFunctions.LossFunction.MSE.getILossFunction();
        layers.layer(new RnnOutputLayer.Builder(loss)
                .activation(Activation.IDENTITY)
                .nIn(spec.lastHiddenSize())
                .nOut(spec.outputSize())
                .build());
        MultiLayerConfiguration conf = layers
                .backpropType(BackpropType.TruncatedBPTT)
                .tBPTTForwardLength(options.tbpttLength())
                .tBPTTBackwardLength(options.tbpttLength())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static IUpdater updater(Optimizer optimizer, double learningRate) {
        return switch (optimizer) {
            case ADAM -> new Adam(learningRate);
            case SGD -> new Sgd(learningRate);
            case RMSPROP -> new RmsProp(learningRate);
        };
    }

    private static Layer recurrentLayer(CellType cell, int nIn, int nOut) {
        return switch (cell) {
            case LSTM -> new LSTM.Builder()
                    .nIn(nIn)
                    .nOut(nOut)
                    .activation(Activation.TANH)
                    .gateActivationFunction(Activation.SIGMOID)
                    .forgetGateBiasInit(FORGET_GATE_BIAS)
                    .build();
            // layer norm would add gain parameters the serving kernel does not model
            case RNN -> new SimpleRnn.Builder()
                    .nIn(nIn)
                    .nOut(nOut)
                    .activation(Activation.TANH)
                    .hasLayerNorm(false)
                    .build();
            case GRU -> new GruLayer.Builder()
                    .nIn(nIn)
                    .nOut(nOut)
                    .build();
        };
    }
}
