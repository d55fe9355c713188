package io.sensorcast.recurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingOptionsTest {

    @Test
    void defaultsAreAdamRate1em3Tbptt50AndTheMeasuredClipThreshold() {
        assertThat(TrainingOptions.defaults()).isEqualTo(new TrainingOptions(Optimizer.ADAM, 1e-3, 50, 20.0));
    }

    @Test
    void rejectsAMissingOptimizerAndNonPositiveOrNonFiniteValues() {
        assertThatThrownBy(() -> new TrainingOptions(null, 1e-3, 50, 5)).hasMessageContaining("optimizer");
        assertThatThrownBy(() -> new TrainingOptions(Optimizer.SGD, 0, 50, 5)).hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new TrainingOptions(Optimizer.SGD, Double.NaN, 50, 5))
                .hasMessageContaining("learningRate");
        assertThatThrownBy(() -> new TrainingOptions(Optimizer.SGD, 1e-3, 0, 5)).hasMessageContaining("tbpttLength");
        assertThatThrownBy(() -> new TrainingOptions(Optimizer.SGD, 1e-3, 50, -1))
                .hasMessageContaining("gradientClipThreshold");
        assertThatThrownBy(() -> new TrainingOptions(Optimizer.SGD, 1e-3, 50, Double.POSITIVE_INFINITY))
                .hasMessageContaining("gradientClipThreshold");
    }
}
