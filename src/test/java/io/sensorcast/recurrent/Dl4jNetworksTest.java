package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitXavier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.impl.LossMSE;

class Dl4jNetworksTest {

    private static final NetworkSpec STACKED_LSTM = new NetworkSpec(CellType.LSTM, 5, new int[] {7, 3}, 4);
    private static final NetworkSpec STACKED_RNN = new NetworkSpec(CellType.RNN, 5, new int[] {7, 3}, 4);
    private static final NetworkSpec STACKED_GRU = new NetworkSpec(CellType.GRU, 5, new int[] {7, 3}, 4);

    @Test
    void lstmNetworkStacksTanhLstmLayersWithSigmoidGatesUnderIdentityMseHead() {
        MultiLayerNetwork net = Dl4jNetworks.create(STACKED_LSTM, TrainingOptions.defaults(), 1);
        List<?> layers = layerConfs(net);
        assertThat(layers).hasSize(3);
        for (int l = 0; l < 2; l++) {
            LSTM lstm = (LSTM) layers.get(l);
            assertThat(lstm.getNIn()).isEqualTo(STACKED_LSTM.layerInputSize(l));
            assertThat(lstm.getNOut()).isEqualTo(STACKED_LSTM.hiddenSize(l));
            assertThat(lstm.getActivationFn()).isInstanceOf(ActivationTanH.class);
            assertThat(lstm.getGateActivationFn()).isInstanceOf(ActivationSigmoid.class);
            assertThat(lstm.getForgetGateBiasInit()).isEqualTo(1.0);
        }
        RnnOutputLayer head = (RnnOutputLayer) layers.get(2);
        assertThat(head.getNIn()).isEqualTo(3);
        assertThat(head.getNOut()).isEqualTo(4);
        assertThat(head.getActivationFn()).isInstanceOf(ActivationIdentity.class);
        assertThat(head.getLossFn()).isInstanceOf(LossMSE.class);
    }

    @Test
    void rnnNetworkUsesSimpleRnnWithoutLayerNormGains() {
        MultiLayerNetwork net = Dl4jNetworks.create(STACKED_RNN, TrainingOptions.defaults(), 1);
        for (int l = 0; l < 2; l++) {
            assertThat(net.getLayer(l).conf().getLayer()).isInstanceOf(SimpleRnn.class);
            assertThat(((SimpleRnn) net.getLayer(l).conf().getLayer()).getActivationFn()).isInstanceOf(ActivationTanH.class);
            assertThat(net.getLayer(l).paramTable().keySet()).containsExactly("W", "RW", "b");
        }
    }

    @Test
    void gruNetworkStacksGruLayersOfThreeBlocksWithClippingAndTruncatedBptt() {
        TrainingOptions options = new TrainingOptions(Optimizer.ADAM, 3e-4, 37, 2.5);
        MultiLayerNetwork net = Dl4jNetworks.create(STACKED_GRU, options, 1);
        for (int l = 0; l < 2; l++) {
            GruLayer gru = (GruLayer) net.getLayer(l).conf().getLayer();
            assertThat(gru.getNIn()).isEqualTo(STACKED_GRU.layerInputSize(l));
            assertThat(gru.getNOut()).isEqualTo(STACKED_GRU.hiddenSize(l));
            assertThat(gru.getGradientNormalization()).isEqualTo(GradientNormalization.ClipL2PerLayer);
            assertThat(gru.getGradientNormalizationThreshold()).isEqualTo(2.5);
            assertThat(gru.getWeightInitFn()).isInstanceOf(WeightInitXavier.class);
            assertThat(net.getLayer(l).getParam("RW").shape()).containsExactly(STACKED_GRU.hiddenSize(l),
                    3L * STACKED_GRU.hiddenSize(l));
        }
        assertThat(net.getLayerWiseConfigurations().getBackpropType()).isEqualTo(BackpropType.TruncatedBPTT);
        assertThat(net.getLayerWiseConfigurations().getTbpttFwdLength()).isEqualTo(37);
    }

    @Test
    void trainingOptionsBecomeAdamClippingAndTruncatedBpttOfBothLengths() {
        TrainingOptions options = new TrainingOptions(Optimizer.ADAM, 3e-4, 37, 2.5);
        MultiLayerNetwork net = Dl4jNetworks.create(STACKED_LSTM, options, 1);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        assertThat(conf.getBackpropType()).isEqualTo(BackpropType.TruncatedBPTT);
        assertThat(conf.getTbpttFwdLength()).isEqualTo(37);
        assertThat(conf.getTbpttBackLength()).isEqualTo(37);
        for (Object layer : layerConfs(net)) {
            BaseLayer base = (BaseLayer) layer;
            assertThat(base.getIUpdater()).isInstanceOf(Adam.class);
            assertThat(((Adam) base.getIUpdater()).getLearningRate()).isEqualTo(3e-4);
            assertThat(base.getGradientNormalization()).isEqualTo(GradientNormalization.ClipL2PerLayer);
            assertThat(base.getGradientNormalizationThreshold()).isEqualTo(2.5);
            assertThat(base.getWeightInitFn()).isInstanceOf(WeightInitXavier.class);
        }
        assertThat(net.params().dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void optimizerChoiceBecomesTheMatchingDl4jUpdaterWithTheLearningRate() {
        MultiLayerNetwork sgd = Dl4jNetworks.create(STACKED_LSTM, new TrainingOptions(Optimizer.SGD, 0.05, 20, 1), 1);
        MultiLayerNetwork rms = Dl4jNetworks.create(STACKED_RNN, new TrainingOptions(Optimizer.RMSPROP, 0.02, 20, 1), 1);
        for (Object layer : layerConfs(sgd)) {
            assertThat(((BaseLayer) layer).getIUpdater()).isInstanceOf(Sgd.class);
            assertThat(((Sgd) ((BaseLayer) layer).getIUpdater()).getLearningRate()).isEqualTo(0.05);
        }
        for (Object layer : layerConfs(rms)) {
            assertThat(((BaseLayer) layer).getIUpdater()).isInstanceOf(RmsProp.class);
            assertThat(((RmsProp) ((BaseLayer) layer).getIUpdater()).getLearningRate()).isEqualTo(0.02);
        }
    }

    @Test
    void lstmForgetGateBiasesStartAtOneAndOtherBiasesAtZero() {
        MultiLayerNetwork net = Dl4jNetworks.create(STACKED_LSTM, TrainingOptions.defaults(), 1);
        NetworkWeights w = WeightSnapshots.fromNetwork(net, STACKED_LSTM);
        for (LayerWeights layer : w.layers()) {
            int h = layer.hiddenSize();
            for (int j = 0; j < 4 * h; j++) {
                boolean forget = j >= h && j < 2 * h;
                assertThat(layer.b()[j]).as("bias %d of %d", j, 4 * h).isEqualTo(forget ? 1f : 0f);
            }
        }
    }

    @Test
    void sameSeedGivesSameInitialGruWeightsAndOtherSeedDifferent() {
        float[] a = Dl4jNetworks.create(STACKED_GRU, TrainingOptions.defaults(), 7).params().toFloatVector();
        float[] b = Dl4jNetworks.create(STACKED_GRU, TrainingOptions.defaults(), 7).params().toFloatVector();
        float[] c = Dl4jNetworks.create(STACKED_GRU, TrainingOptions.defaults(), 8).params().toFloatVector();
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    @Test
    void sameSeedGivesSameInitialWeightsAndOtherSeedDifferent() {
        float[] a = WeightSnapshots.toFlatParams(
                WeightSnapshots.fromNetwork(Dl4jNetworks.create(STACKED_RNN, TrainingOptions.defaults(), 7), STACKED_RNN));
        float[] b = WeightSnapshots.toFlatParams(
                WeightSnapshots.fromNetwork(Dl4jNetworks.create(STACKED_RNN, TrainingOptions.defaults(), 7), STACKED_RNN));
        float[] c = WeightSnapshots.toFlatParams(
                WeightSnapshots.fromNetwork(Dl4jNetworks.create(STACKED_RNN, TrainingOptions.defaults(), 8), STACKED_RNN));
        assertThat(b).containsExactly(a);
        assertThat(c).isNotEqualTo(a);
    }

    private static List<?> layerConfs(MultiLayerNetwork net) {
        return net.getLayerWiseConfigurations().getConfs().stream().map(c -> c.getLayer()).toList();
    }
}
