package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayerWeightsTest {

    @Test
    void kernelRowsAreInputRowsThenRecurrentRowsThenZeroRowsUpToAWholePass() {
        // 3 inputs + 2 units = 5 rows, padded to 8; width G*H = 4*2 = 8
        int width = 8;
        float[] w = sequence(3 * width, 100);
        float[] rw = sequence(2 * width, 200);
        LayerWeights lw = new LayerWeights(3, 2, w, rw, new float[width]);

        assertThat(lw.rows()).hasNumberOfRows(8);
        for (int i = 0; i < 3; i++) {
            assertThat(lw.rows()[i]).containsExactly(slice(w, i * width, width));
        }
        for (int k = 0; k < 2; k++) {
            assertThat(lw.rows()[3 + k]).containsExactly(slice(rw, k * width, width));
        }
        for (int pad = 5; pad < 8; pad++) {
            assertThat(lw.rows()[pad]).containsOnly(0f).hasSize(width);
        }
    }

    @Test
    void rowsAreCopiesSoTheDl4jLayoutArraysStayTheSourceOfTruth() {
        float[] w = sequence(4, 1);
        LayerWeights lw = new LayerWeights(1, 1, w, sequence(4, 5), new float[4]);
        assertThat(lw.rows()[0]).isNotSameAs(w).containsExactly(w);
    }

    @Test
    void weightsThatDoNotFitTheShapeAreRefusedNamingIt() {
        assertThatThrownBy(() -> new LayerWeights(3, 2, new float[23], new float[16], new float[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 inputs").hasMessageContaining("2 units");
        assertThatThrownBy(() -> new LayerWeights(1, 1, new float[1], new float[1], new float[1], new float[3][1]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LayerWeights(1, 1, new float[1], new float[1], new float[1], new float[4][2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel row of 2 values");
    }

    @Test
    void paddedRowsRoundUpToAMultipleOfRowsPerPass() {
        assertThat(LayerWeights.paddedRows(4, 64)).isEqualTo(68);
        assertThat(LayerWeights.paddedRows(1, 64)).isEqualTo(68);
        assertThat(LayerWeights.paddedRows(6, 32)).isEqualTo(40);
        assertThat(LayerWeights.paddedRows(1, 1)).isEqualTo(LayerWeights.ROWS_PER_PASS);
    }

    private static float[] sequence(int n, int start) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = start + i;
        }
        return a;
    }

    private static float[] slice(float[] a, int from, int length) {
        float[] s = new float[length];
        System.arraycopy(a, from, s, 0, length);
        return s;
    }
}
