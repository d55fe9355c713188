package io.sensorcast.training;

import io.sensorcast.config.TrainingSettings;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;

import java.util.Locale;

/** The DL4J training options a pipeline's {@code training:} section asks for. */
final class TrainingOptionsFactory {

    private TrainingOptionsFactory() {
    }

    static TrainingOptions of(TrainingSettings s) {
        return new TrainingOptions(Optimizer.valueOf(s.optimizer().toUpperCase(Locale.ROOT)), s.learningRate(),
                s.tbpttLength(), s.clipThreshold(), s.absoluteLoss(),
                s.distributionHead());
    }
}
