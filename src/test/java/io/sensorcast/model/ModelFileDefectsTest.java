package io.sensorcast.model;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.metrics.ModelMetrics;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.recurrent.WeightSnapshots;
import io.sensorcast.testing.TestModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A defective newest model file in the models directory is refused with a clear error and a refusal metric,
 * and start-up serves the last good version instead of it.
 */
class ModelFileDefectsTest {

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}");

    @TempDir
    Path dir;

    /** What is wrong with version 5, the error text it must be refused with and the metric's reason label. */
    enum Defect {
        TRUNCATED_ZIP("checksum mismatch", "checksum"),
        TRUNCATED_METADATA("is truncated or corrupt", "corrupt"),
        FLIPPED_BYTE("checksum mismatch", "checksum"),
        OTHER_SHAPE("does not fit pipeline 'sensorcast': layers [9] != model.layers [8]", "shape"),
        NAN_WEIGHT("has a NaN or infinite weight", "non_finite");

        final String message;
        final String reason;

        Defect(String message, String reason) {
            this.message = message;
            this.reason = reason;
        }
    }

    private MultiLayerNetwork network(PipelineConfig c, long seed) {
        return Dl4jNetworks.create(ModelShapes.specOf(c), TrainingOptions.defaults(), seed);
    }

    private Path models() {
        return dir.resolve("models");
    }

    private PipelineConfig pipeline() {
        return PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8], path: " + dir.resolve("boot/bootstrap.zip")
                + ", directory: " + models() + "}");
    }

    private void writeDefective(Defect defect) throws IOException {
        Path v5 = ModelFiles.versionPath(models(), "sensorcast", 5);
        switch (defect) {
            case OTHER_SHAPE -> {
                PipelineConfig wider = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [9]}");
                ModelFiles.save(network(wider, 5), TestModels.metadata(wider, 5), v5);
            }
            case NAN_WEIGHT -> {
                MultiLayerNetwork poisoned = network(config, 5);
                poisoned.params().putScalar(poisoned.numParams() / 2, Double.NaN);
                // Saved through the normal path, so its checksum is right: only the weights are bad.
                ModelFiles.save(poisoned, TestModels.metadata(config, 5), v5);
            }
            default -> {
                ModelFiles.save(network(config, 5), TestModels.metadata(config, 5), v5);
                Path target = defect == Defect.TRUNCATED_METADATA ? ModelFiles.metadataPath(v5) : v5;
                byte[] bytes = Files.readAllBytes(target);
                if (defect == Defect.FLIPPED_BYTE) {
                    bytes[bytes.length / 2] ^= 0x5a;
                } else {
                    bytes = Arrays.copyOf(bytes, bytes.length / 2);
                }
                Files.write(target, bytes);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Defect.class)
    void aDefectiveNewestModelFileIsRefusedCountedAndTheLastGoodVersionServes(Defect defect) throws IOException {
        ModelFiles.save(network(config, 1), TestModels.metadata(config, 1), dir.resolve("boot/bootstrap.zip"));
        MultiLayerNetwork good = network(config, 3);
        ModelFiles.save(good, TestModels.metadata(config, 3), ModelFiles.versionPath(models(), "sensorcast", 3));
        writeDefective(defect);

        List<String> refusals = new ArrayList<>();
        ServingModel serving = ModelSources.toServing(ModelSources.initial(pipeline(), refusals::add));

        assertThat(serving.version()).isEqualTo(3);
        assertThat(WeightSnapshots.toFlatParams(serving.weights())).containsExactly(good.params().toFloatVector());
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0)).contains(defect.message);

        // The runtime feeds start-up refusals to the refusal counter exactly like this (service.ServiceRuntime).
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ModelMetrics metrics = new ModelMetrics(meters, new ModelRegistry(ModelShapes.specOf(config), serving));
        refusals.forEach(r -> metrics.refused(ModelMetrics.reasonCode(r)));
        assertThat(meters.get("sensorcast.model.refused").tag("reason", defect.reason).counter().count())
                .isEqualTo(1.0);
        assertThat(meters.get("sensorcast.model.refused").counters())
                .filteredOn(c -> !c.getId().getTag("reason").equals(defect.reason))
                .allSatisfy(c -> assertThat(c.count()).isZero());
    }

    @Test
    void aDefectiveBootstrapModelWithNothingBetterStopsStartUpSayingWhy() throws IOException {
        MultiLayerNetwork poisoned = network(config, 1);
        poisoned.params().putScalar(0, Double.NaN);
        ModelFiles.save(poisoned, TestModels.metadata(config, 1), dir.resolve("boot/bootstrap.zip"));
        assertThatThrownBy(() -> ModelSources.initial(pipeline())).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("bootstrap.zip has a NaN or infinite weight (parameter 0 of");
    }

    @Test
    void everyVersionInTheModelsDirectoryIsListedNewestFirstIgnoringOtherFiles() throws IOException {
        Files.createDirectories(models());
        for (String name : List.of("sensorcast-v2.zip", "sensorcast-v10.zip", "sensorcast-v9.zip", "other-v99.zip",
                "sensorcast-v3.zip.tmp", "sensorcast-v99999999999999999999.zip")) {
            Files.writeString(models().resolve(name), "x");
        }
        assertThat(ModelFiles.versionsNewestFirst(models(), "sensorcast")).extracting(p -> p.getFileName().toString())
                .containsExactly("sensorcast-v10.zip", "sensorcast-v9.zip", "sensorcast-v2.zip",
                        "sensorcast-v99999999999999999999.zip");
    }
}
