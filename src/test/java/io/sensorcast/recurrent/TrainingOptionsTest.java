package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingOptionsTest {

    @Test
    void defaultsAreAdamRate1em3Tbptt50Clip5() {
        assertThat(TrainingOptions.defaults()).isEqualTo(new TrainingOptions(1e-3, 50, 5.0));
    }

    @Test
    void rejectsNonPositiveOrNonFiniteValues() {
        assertThatThrownBy(() -> new TrainingOptions(0, 50, 5)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new TrainingOptions(Double.NaN, 50, 5)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new TrainingOptions(1e-3, 0, 5)).hasMessageContaining("tbpttLength");
        assertThatThrownBy(() -> new TrainingOptions(1e-3, 50, -1)).hasMessageContaining("gradientClipThreshold");
        assertThatThrownBy(() -> new TrainingOptions(1e-3, 50, Double.POSITIVE_INFINITY))
                .hasMessageContaining("gradientClipThreshold");
    }
}
