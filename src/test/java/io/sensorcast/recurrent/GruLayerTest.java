package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.Map;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.api.layers.RecurrentLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** The hand-written GRU backpropagation against finite differences, and the layer inside DL4J's machinery. */
class GruLayerTest {

    @Test
    void singleLayerGradientsMatchFiniteDifferences() {
        assertGradientCheckPasses(new int[] {4}, 21);
    }

    @Test
    void stackedLayerGradientsMatchFiniteDifferencesIncludingTheErrorPassedDown() {
        assertGradientCheckPasses(new int[] {4, 3}, 22);
    }

    /**
     * A truncated-BPTT segment starts from the state the previous segment left: the forward pass must use it and
     * the gradient must be the loss's derivative with that state held constant, as truncated BPTT defines it.
     */
    @Test
    void truncatedBpttSegmentGradientFromACarriedStateMatchesFiniteDifferences() {
        NetworkSpec spec = new NetworkSpec(CellType.GRU, 3, new int[] {4}, 2);
        MultiLayerNetwork net = Dl4jNetworks.create(spec, TrainingOptions.defaults(), 23);
        net = net.convertDataType(DataType.DOUBLE);
        randomise(net, 23);
        Nd4j.getRandom().setSeed(24);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 5);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 2, 2, 5);
        Map<String, INDArray> carried = Map.of(GruNetworkLayer.STATE_KEY, Nd4j.randn(DataType.DOUBLE, 2, 4).muli(0.8));

        double[] analytic = segmentGradient(net, x, y, carried).toDoubleVector();
        INDArray params = net.params();
        double eps = 1e-6;
        double worst = 0;
        for (int i = 0; i < params.length(); i++) {
            double original = params.getDouble(i);
            params.putScalar(i, original + eps);
            double plus = segmentScore(net, x, y, carried);
            params.putScalar(i, original - eps);
            double minus = segmentScore(net, x, y, carried);
            params.putScalar(i, original);
            // DL4J's score is the loss averaged over the mini-batch, its gradient the sum (the updater divides)
            double numeric = x.size(0) * (plus - minus) / (2 * eps);
            double scale = Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i]));
            worst = Math.max(worst, Math.abs(numeric - analytic[i]) / scale);
        }
        assertThat(worst).as("worst relative gradient error over %d parameters", params.length()).isLessThan(1e-6);
        // and the carried state changes the score, so the check above did exercise it
        double fromZero = segmentScore(net, x, y, Map.of());
        assertThat(Math.abs(fromZero - segmentScore(net, x, y, carried))).isGreaterThan(1e-3);
    }

    @Test
    void savedNetworkRestoresWithTheGruLayerAndIdenticalParameters() throws Exception {
        NetworkSpec spec = new NetworkSpec(CellType.GRU, 3, new int[] {6, 4}, 2);
        MultiLayerNetwork net = Dl4jNetworks.create(spec, TrainingOptions.defaults(), 25);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, zip, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(zip.toByteArray()), false);

        assertThat(restored.getLayer(0).conf().getLayer()).isInstanceOf(GruLayer.class);
        assertThat(restored.params().toFloatVector()).containsExactly(net.params().toFloatVector());
        INDArray x = Nd4j.rand(DataType.FLOAT, 1, 3, 5);
        assertThat(Nd4j.toFlattened(restored.output(x)).toFloatVector())
                .containsExactly(Nd4j.toFlattened(net.output(x)).toFloatVector());
    }

    @Test
    void xavierInitialisedWeightsAndZeroBiasInDl4jKeyOrder() {
        NetworkSpec spec = new NetworkSpec(CellType.GRU, 3, new int[] {8}, 2);
        MultiLayerNetwork net = Dl4jNetworks.create(spec, TrainingOptions.defaults(), 26);
        assertThat(net.getLayer(0).paramTable().keySet()).containsExactly("W", "RW", "b");
        assertThat(net.getLayer(0).getParam("W").shape()).containsExactly(3, 24);
        assertThat(net.getLayer(0).getParam("RW").shape()).containsExactly(8, 24);
        assertThat(net.getLayer(0).getParam("b").length()).isEqualTo(24);
        assertThat(net.getLayer(0).getParam("b").sumNumber().doubleValue()).isZero();
        assertThat(net.getLayer(0).getParam("RW").norm2Number().doubleValue()).isPositive();
        assertThat(net.numParams()).isEqualTo(WeightSnapshots.parameterCount(spec));
    }

    private static INDArray segmentGradient(MultiLayerNetwork net, INDArray x, INDArray y, Map<String, INDArray> carried) {
        segmentScore(net, x, y, carried);
        return net.gradient().gradient().dup();
    }

    /** One TBPTT segment's score (and gradient) with the GRU starting from {@code carried}. */
    private static double segmentScore(MultiLayerNetwork net, INDArray x, INDArray y, Map<String, INDArray> carried) {
        RecurrentLayer gru = (RecurrentLayer) net.getLayer(0);
        net.rnnClearPreviousState();
        gru.rnnSetTBPTTState(new java.util.HashMap<>(carried));
        net.setInput(x);
        net.setLabels(y);
        net.computeGradientAndScore();
        return net.score();
    }

    private static void assertGradientCheckPasses(int[] hidden, long seed) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.DOUBLE)
                .updater(new NoOp())
                .weightInit(WeightInit.XAVIER)
                .list();
        int in = 3;
        for (int h : hidden) {
            list.layer(new GruLayer.Builder().nIn(in).nOut(h).build());
            in = h;
        }
        list.layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                .nIn(in).nOut(2).build());
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        randomise(net, seed);
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.DOUBLE, 2, 3, 5);
        INDArray y = Nd4j.randn(DataType.DOUBLE, 2, 2, 5);

        DataType previous = Nd4j.dataType();
        boolean passed;
        try {
            // GradientCheckUtil insists on double as ND4J's global default, not only the network's type
            Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
            passed = GradientCheckUtil.checkGradients(new GradientCheckUtil.MLNConfig().net(net).input(x).labels(y)
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9).exitOnFirstError(false));
        } finally {
            Nd4j.setDefaultDataTypes(previous, previous);
        }
        assertThat(passed).as("DL4J gradient check of GRU layers %s", java.util.Arrays.toString(hidden)).isTrue();
    }

    /** Xavier leaves biases at zero: give every parameter some spread so every path of the gradient matters. */
    private static void randomise(MultiLayerNetwork net, long seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray params = net.params();
        params.addi(Nd4j.randn(params.dataType(), params.shape()).muli(0.3));
    }
}
