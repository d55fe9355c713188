package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.recurrent.WeightSnapshots;
import io.sensorcast.testing.TestModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFilesTest {

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8]}");

    @TempDir
    Path dir;

    private MultiLayerNetwork network() {
        return Dl4jNetworks.create(ModelShapes.specOf(config), TrainingOptions.defaults(), 5);
    }

    @Test
    void savedModelLoadsBackWithIdenticalWeightsAndItsChecksum() {
        MultiLayerNetwork net = network();
        Path zip = dir.resolve("m-v1.zip");
        ModelMetadata written = ModelFiles.save(net, TestModels.metadata(config, 1), zip);
        assertThat(written.sha256()).hasSize(64);
        assertThat(Files.exists(dir.resolve("m-v1.json"))).isTrue();

        ModelFiles.LoadedModel loaded = ModelFiles.load(zip);
        assertThat(loaded.metadata()).isEqualTo(written);
        assertThat(loaded.network().params()).isEqualTo(net.params());
        ServingModel serving = ModelSources.toServing(loaded);
        assertThat(WeightSnapshots.toFlatParams(serving.weights())).containsExactly(net.params().toFloatVector());
    }

    @Test
    void aModelWhoseZipNoLongerMatchesItsChecksumIsRefused() throws IOException {
        Path zip = dir.resolve("m-v1.zip");
        ModelFiles.save(network(), TestModels.metadata(config, 1), zip);
        byte[] bytes = Files.readAllBytes(zip);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(zip, bytes);
        assertThatThrownBy(() -> ModelFiles.load(zip)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("checksum mismatch");
    }

    @Test
    void aTruncatedPayloadWithAMatchingChecksumIsRefusedAsUnreadable() {
        byte[] bytes = ModelFiles.toBytes(network());
        byte[] truncated = Arrays.copyOf(bytes, bytes.length / 3);
        assertThatThrownBy(() -> ModelFiles.fromBytes(truncated, Checksums.sha256(truncated)))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("not a readable DL4J network");
    }

    @Test
    void aModelShapedForAnotherPipelineIsRefusedNamingEveryDifference() {
        Path zip = dir.resolve("sensorcast-v1.zip");
        ModelFiles.save(network(), TestModels.metadata(config, 1), zip);
        PipelineConfig other = PipelineConfigLoader.parse("horizon: 5\nmodel: {layers: [8], path: " + zip
                + ", directory: " + dir.resolve("none") + "}");
        assertThatThrownBy(() -> ModelSources.initial(other)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("horizon 3 != horizon 5");
    }

    @Test
    void startUpPrefersTheNewestVersionInTheModelsDirectoryOverTheBootstrapModel() {
        Path bootstrap = dir.resolve("boot/bootstrap.zip");
        ModelFiles.save(network(), TestModels.metadata(config, 1), bootstrap);
        Path models = dir.resolve("models");
        ModelFiles.save(network(), TestModels.metadata(config, 3), ModelFiles.versionPath(models, "sensorcast", 3));
        ModelFiles.save(network(), TestModels.metadata(config, 12), ModelFiles.versionPath(models, "sensorcast", 12));
        PipelineConfig c = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8], path: " + bootstrap
                + ", directory: " + models + "}");
        assertThat(ModelSources.initial(c).metadata().version()).isEqualTo(12);
        PipelineConfig noDirectory = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8], path: " + bootstrap
                + ", directory: " + dir.resolve("empty") + "}");
        assertThat(ModelSources.initial(noDirectory).metadata().version()).isEqualTo(1);
    }

    @Test
    void aMissingRelativeModelPathIsReportedByKeyWithTheAbsolutePathAndTheWorkingDirectory() {
        PipelineConfig c = PipelineConfigLoader.parse("horizon: 3\nmodel: {layers: [8], path: no-such/bootstrap.zip,"
                + " directory: " + dir.resolve("empty") + "}");
        assertThatThrownBy(() -> ModelSources.initial(c)).isInstanceOf(InvalidModelException.class)
                .hasMessageStartingWith("model.path: model file not found at "
                        + Path.of("no-such/bootstrap.zip").toAbsolutePath())
                .hasMessageContaining("from the working directory " + Path.of("").toAbsolutePath())
                .hasMessageContaining("model.directory " + dir.resolve("empty"));
    }
}
