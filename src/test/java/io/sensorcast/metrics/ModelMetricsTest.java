package io.sensorcast.metrics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.model.ModelMetadata;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.testing.TestModels;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

class ModelMetricsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "model v3 has NaN or infinite weights | non_finite",
            "record v2 on maintenance-models has NaN or infinite parameters | non_finite",
            "model /srv/financial/models/x-v4.zip: checksum does not match its metadata | checksum",
            "record v5 on maintenance-models: checksum mismatch | checksum",
            "model v6 on maintenance-models: layer 0 shape [4, 64] does not fit [5, 64] | shape",
            "record v7 from financial-models is truncated | corrupt",
            "record v8 from maintenance-models could not be read | other",
    })
    void refusalReasonComesFromWholeWordsNotFromNamesInsideTheMessage(String message, String code) {
        assertThat(ModelMetrics.reasonCode(message)).isEqualTo(code);
    }

    @Test
    void theLastSwapTimestampIsTheServingModelsCreationTimeSoARestartDoesNotResetIt() {
        PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}\n");
        Instant created = Instant.now().minus(Duration.ofHours(7)).truncatedTo(ChronoUnit.SECONDS);
        ModelMetadata metadata = ModelMetadata.forPipeline(config, 4, 3, created, java.util.Map.of());
        ServingModel model = new ServingModel(4, TestModels.servingModel(config, 4, 1).weights(), metadata);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // A process started just now with a model accepted seven hours ago.
        new ModelMetrics(meters, new ModelRegistry(ModelShapes.specOf(config), model));
        assertThat(meters.get("sensorcast.model.last.swap.timestamp").gauge().value())
                .isEqualTo(created.getEpochSecond());
    }
}
