package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NetworkWeightsTest {

    private static final NetworkSpec SPEC = new NetworkSpec(CellType.RNN, 1, new int[] {3}, 2);

    @Test
    void headColumnsAreTheColumnsOfTheRowMajorHead() {
        // head 3 x 2, row-major: rows (1,2), (3,4), (5,6)
        NetworkWeights w = new NetworkWeights(SPEC, NetworkWeights.zeros(SPEC).layers(),
                new float[] {1, 2, 3, 4, 5, 6}, new float[2]);
        assertThat(w.headColumns()).hasNumberOfRows(2);
        assertThat(w.headColumns()[0]).containsExactly(1, 3, 5);
        assertThat(w.headColumns()[1]).containsExactly(2, 4, 6);
    }

    @Test
    void aHeadThatDoesNotFitTheSpecIsRefused() {
        LayerWeights[] layers = NetworkWeights.zeros(SPEC).layers();
        assertThatThrownBy(() -> new NetworkWeights(SPEC, layers, new float[5], new float[2]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head does not fit");
        assertThatThrownBy(() -> new NetworkWeights(SPEC, layers, new float[6], new float[2], new float[][] {new float[3]}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head does not fit");
        assertThatThrownBy(() -> new NetworkWeights(SPEC, layers, new float[6], new float[2], new float[2][4]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("head column of 4 values");
    }
}
