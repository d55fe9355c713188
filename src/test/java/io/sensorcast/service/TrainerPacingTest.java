package io.sensorcast.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrainerPacingTest {

    private final PipelineConfig config = PipelineConfigLoader.parse("training: {cpuShare: 0.3}\n");

    @Test
    void trainerBesideServingKeepsToTheConfiguredShare() {
        assertThat(ServiceRuntime.pacer(config, Role.ALL).share()).isEqualTo(0.3);
    }

    @Test
    void trainOnlyProcessTrainsUnpaced() {
        assertThat(ServiceRuntime.pacer(config, Role.TRAIN).share()).isEqualTo(1.0);
    }
}
