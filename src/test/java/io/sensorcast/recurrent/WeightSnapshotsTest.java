package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class WeightSnapshotsTest {

    /** Every dimension distinct, so a transposed or misordered parameter cannot line up by accident. */
    private static final NetworkSpec STACKED_LSTM = new NetworkSpec(CellType.LSTM, 5, new int[] {7, 3}, 4);
    private static final NetworkSpec STACKED_RNN = new NetworkSpec(CellType.RNN, 5, new int[] {7, 3}, 4);
    private static final NetworkSpec STACKED_GRU = new NetworkSpec(CellType.GRU, 5, new int[] {7, 3}, 4);

    @Test
    void parameterCountEqualsDl4jNumParams() {
        NetworkSpec[] specs = {STACKED_LSTM, STACKED_RNN, STACKED_GRU, new NetworkSpec(CellType.LSTM, 6, new int[] {32}, 12),
            new NetworkSpec(CellType.RNN, 1, new int[] {2, 9, 4}, 1)};
        for (NetworkSpec spec : specs) {
            MultiLayerNetwork net = Dl4jNetworks.create(spec, TrainingOptions.defaults(), 3);
            assertThat((long) WeightSnapshots.parameterCount(spec)).as("%s", spec).isEqualTo(net.numParams());
        }
    }

    @Test
    void snapshotHoldsDl4jParamTablesRowMajor() {
        for (NetworkSpec spec : new NetworkSpec[] {STACKED_LSTM, STACKED_RNN, STACKED_GRU}) {
            MultiLayerNetwork net = randomised(Dl4jNetworks.create(spec, TrainingOptions.defaults(), 4), 4);
            NetworkWeights w = WeightSnapshots.fromNetwork(net, spec);
            for (int l = 0; l < spec.layerCount(); l++) {
                LayerWeights lw = w.layers()[l];
                assertRowMajor(net.getLayer(l).getParam("W"), lw.w());
                assertRowMajor(net.getLayer(l).getParam("RW"), lw.rw());
                assertThat(lw.b()).containsExactly(net.getLayer(l).getParam("b").toFloatVector());
            }
            assertRowMajor(net.getLayer(spec.layerCount()).getParam("W"), w.headW());
            assertThat(w.headB()).containsExactly(net.getLayer(spec.layerCount()).getParam("b").toFloatVector());
        }
    }

    @Test
    void toFlatParamsOfSnapshotEqualsDl4jParamsExactly() {
        for (NetworkSpec spec : new NetworkSpec[] {STACKED_LSTM, STACKED_RNN, STACKED_GRU}) {
            MultiLayerNetwork net = randomised(Dl4jNetworks.create(spec, TrainingOptions.defaults(), 5), 5);
            float[] flat = WeightSnapshots.toFlatParams(WeightSnapshots.fromNetwork(net, spec));
            assertThat(flat).as("%s", spec).containsExactly(net.params().toFloatVector());
        }
    }

    @Test
    void flatParamsLoadIntoNetworkAndReadBackUnchanged() {
        for (NetworkSpec spec : new NetworkSpec[] {STACKED_LSTM, STACKED_RNN, STACKED_GRU}) {
            MultiLayerNetwork net = Dl4jNetworks.create(spec, TrainingOptions.defaults(), 6);
            float[] flat = randomFlat(spec, new Random(6));
            NetworkWeights loaded = WeightSnapshots.fromFlatParams(spec, flat);
            net.setParams(Nd4j.create(WeightSnapshots.toFlatParams(loaded)));

            assertThat(net.params().toFloatVector()).containsExactly(flat);
            NetworkWeights readBack = WeightSnapshots.fromNetwork(net, spec);
            assertThat(WeightSnapshots.toFlatParams(readBack)).containsExactly(flat);
            for (int l = 0; l < spec.layerCount(); l++) {
                assertThat(readBack.layers()[l].w()).containsExactly(loaded.layers()[l].w());
                assertThat(readBack.layers()[l].rw()).containsExactly(loaded.layers()[l].rw());
                assertThat(readBack.layers()[l].b()).containsExactly(loaded.layers()[l].b());
            }
            assertThat(readBack.headW()).containsExactly(loaded.headW());
            assertThat(readBack.headB()).containsExactly(loaded.headB());
        }
    }

    @Test
    void fromFlatParamsRejectsWrongLengthNamingExpectedAndActual() {
        int expected = WeightSnapshots.parameterCount(STACKED_LSTM);
        assertThatThrownBy(() -> WeightSnapshots.fromFlatParams(STACKED_LSTM, new float[expected - 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must have " + expected)
                .hasMessageContaining("got " + (expected - 1));
        assertThatThrownBy(() -> WeightSnapshots.fromFlatParams(STACKED_LSTM, new float[expected + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got " + (expected + 1));
    }

    @Test
    void fromNetworkRejectsNetworkBuiltForAnotherSpec() {
        MultiLayerNetwork lstm = Dl4jNetworks.create(STACKED_LSTM, TrainingOptions.defaults(), 7);
        assertThatThrownBy(() -> WeightSnapshots.fromNetwork(lstm, STACKED_RNN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected RNN");
        NetworkSpec wider = new NetworkSpec(CellType.LSTM, 5, new int[] {8, 3}, 4);
        assertThatThrownBy(() -> WeightSnapshots.fromNetwork(lstm, wider))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shape");
        NetworkSpec deeper = new NetworkSpec(CellType.LSTM, 5, new int[] {7, 3, 3}, 4);
        assertThatThrownBy(() -> WeightSnapshots.fromNetwork(lstm, deeper))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("layers");
    }

    @Test
    void allFiniteIsFalseForAnyNanOrInfinityAnywhere() {
        float[] flat = randomFlat(STACKED_LSTM, new Random(8));
        assertThat(WeightSnapshots.allFinite(WeightSnapshots.fromFlatParams(STACKED_LSTM, flat))).isTrue();
        float[] poisons = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
        // first value, one inside every parameter block's span, and the very last (head bias)
        int[] positions = {0, flat.length / 3, flat.length / 2, flat.length - 5, flat.length - 1};
        for (float poison : poisons) {
            for (int at : positions) {
                float[] bad = flat.clone();
                bad[at] = poison;
                assertThat(WeightSnapshots.allFinite(WeightSnapshots.fromFlatParams(STACKED_LSTM, bad)))
                        .as("%s at %d", poison, at).isFalse();
            }
        }
    }

    private static void assertRowMajor(INDArray matrix, float[] rowMajor) {
        int rows = (int) matrix.size(0);
        int cols = (int) matrix.size(1);
        assertThat(rowMajor).hasSize(rows * cols);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                assertThat(rowMajor[r * cols + c]).isEqualTo(matrix.getFloat(r, c));
            }
        }
    }

    private static MultiLayerNetwork randomised(MultiLayerNetwork net, long seed) {
        net.setParams(Nd4j.create(randomFlat(net.numParams(), new Random(seed))));
        return net;
    }

    private static float[] randomFlat(NetworkSpec spec, Random random) {
        return randomFlat(WeightSnapshots.parameterCount(spec), random);
    }

    private static float[] randomFlat(long n, Random random) {
        float[] flat = new float[Math.toIntExact(n)];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = (float) random.nextGaussian();
        }
        return flat;
    }
}
