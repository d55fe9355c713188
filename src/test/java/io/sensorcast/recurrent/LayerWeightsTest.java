package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LayerWeightsTest {

    @Test
    void kernelRowsAreInputRowsThenRecurrentRows() {
        // 3 inputs + 2 units = 5 rows; width G*H = 4*2 = 8
        int width = 8;
        float[] w = sequence(3 * width, 100);
        float[] rw = sequence(2 * width, 200);
        LayerWeights lw = new LayerWeights(3, 2, w, rw, new float[width]);

        assertThat(lw.rows()).hasNumberOfRows(5);
        for (int i = 0; i < 3; i++) {
            assertThat(lw.rows()[i]).containsExactly(slice(w, i * width, width));
        }
        for (int k = 0; k < 2; k++) {
            assertThat(lw.rows()[3 + k]).containsExactly(slice(rw, k * width, width));
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
        assertThatThrownBy(() -> new LayerWeights(1, 1, new float[1], new float[1], new float[1], new float[3][1],
                new float[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LayerWeights(1, 1, new float[1], new float[1], new float[1], new float[2][2],
                new float[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel row of 2 values");
    }

    @Test
    void panelsHoldEachWholePanelOfColumnsForAllRowsInOrderAndLeaveTheRestToTheRows() {
        // 1 input + 32 units = 33 rows; width G*H = 4*32 = 128: two whole panels of 64 columns
        LayerWeights lw = new LayerWeights(1, 32, sequence(128, 1), sequence(32 * 128, 1000), new float[128]);
        float[] panels = lw.panels();
        assertThat(panels).hasSize(2 * 33 * LayerWeights.PANEL);
        for (int p = 0; p < 2; p++) {
            for (int r = 0; r < 33; r++) {
                assertThat(slice(panels, (p * 33 + r) * LayerWeights.PANEL, LayerWeights.PANEL))
                        .containsExactly(slice(lw.rows()[r], p * LayerWeights.PANEL, LayerWeights.PANEL));
            }
        }
        // a GRU of 8 units is 24 columns wide: no whole panel
        assertThat(new LayerWeights(1, 8, new float[24], new float[8 * 24], new float[24]).panels()).isEmpty();
    }

    @Test
    void panelsThatAreNotTheRowsPanelsAreRefused() {
        LayerWeights lw = new LayerWeights(1, 16, sequence(64, 1), sequence(16 * 64, 100), new float[64]);
        float[] wrong = lw.panels().clone();
        wrong[70] += 1f;
        assertThatThrownBy(() -> new LayerWeights(1, 16, lw.w(), lw.rw(), lw.b(), lw.rows(), wrong))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("panels");
        assertThatThrownBy(() -> new LayerWeights(1, 16, lw.w(), lw.rw(), lw.b(), lw.rows(), new float[64]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("panels");
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
