package io.sensorcast.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

class BootstrapTrainerTest {

    @Test
    void trainingReportsEachEpochsLossTheClippedShareAndHeldOutErrors() {
        PipelineConfig config = PipelineConfigLoader.parse("model:\n  layers: [8]\n");
        List<Integer> finished = new ArrayList<>();
        BootstrapTrainer.Options options = new BootstrapTrainer.Options(3, 2, 96, 16, 0.25,
                new TrainingOptions(Optimizer.ADAM, 1e-2, 48, 1.0));

        BootstrapTrainer.Result result = BootstrapTrainer.train(config,
                SyntheticSequences.seasonalEvents(2, 4 * SyntheticSequences.STEPS_PER_DAY, 0.3, 4), options,
                finished::add);

        assertThat(finished).containsExactly(1, 2);
        assertThat(result.epochLosses()).hasSize(2).allMatch(loss -> loss > 0 && Double.isFinite(loss));
        // 4 days of 288 steps per sensor give 11 windows of 96; a quarter (3) of each sensor's are held out.
        assertThat(result.trainWindows()).isEqualTo(2 * 8);
        assertThat(result.validationWindows()).isEqualTo(2 * 3);
        // A threshold of 1 is far below this data's gradient norms (see TrainingOptions.defaults()).
        assertThat(result.clippedFraction()).isGreaterThan(0.5).isLessThanOrEqualTo(1.0);
        assertThat(result.validationMae()).isPositive();
        assertThat(result.persistenceMae()).isPositive();
    }
}
