package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.recurrent.WeightSnapshots;
import io.sensorcast.testing.TestModels;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRecordsTest {

    private final PipelineConfig config = PipelineConfigLoader.parse("name: plant\nhorizon: 3\nmodel: {layers: [6, 4]}");
    private final NetworkSpec spec = ModelShapes.specOf(config);

    @TempDir
    Path dir;

    private ModelRecord record(long version, long seed) {
        return ModelRecordCodec.of(TestModels.metadata(config, version),
                WeightSnapshots.toFlatParams(TestModels.randomWeights(spec, seed)));
    }

    @Test
    void aRecordOfANetworkServesExactlyThatNetworksWeights() {
        MultiLayerNetwork net = Dl4jNetworks.create(spec, TrainingOptions.defaults(), 11);
        ModelRecord record = ModelRecords.fromNetwork(net, TestModels.metadata(config, 4));
        assertThat(record.parameters()).containsExactly(net.params().toFloatVector());
        ServingModel serving = ModelRecords.toServing(record, config);
        assertThat(serving.version()).isEqualTo(4);
        assertThat(WeightSnapshots.toFlatParams(serving.weights()))
                .containsExactly(WeightSnapshots.toFlatParams(WeightSnapshots.fromNetwork(net, spec)));
    }

    @Test
    void aGruNetworksRecordCrossesTheTopicFormatServesItsWeightsAndIsRefusedByAnLstmPipeline() {
        PipelineConfig gru = PipelineConfigLoader.parse("name: plant\nhorizon: 3\nmodel: {layers: [6, 4], cell: gru}");
        NetworkSpec gruSpec = ModelShapes.specOf(gru);
        MultiLayerNetwork net = Dl4jNetworks.create(gruSpec, TrainingOptions.defaults(), 12);
        ModelRecord record = ModelRecordCodec.decode(ModelRecordCodec.encode(
                ModelRecords.fromNetwork(net, TestModels.metadata(gru, 6))));

        assertThat(record.metadata().cell()).isEqualTo("gru");
        ServingModel serving = ModelRecords.toServing(record, gru);
        assertThat(WeightSnapshots.toFlatParams(serving.weights())).containsExactly(net.params().toFloatVector());
        MultiLayerNetwork rebuilt = ModelRecords.toNetwork(record, gruSpec);
        Path zip = ModelFiles.versionPath(dir, "plant", 6);
        ModelFiles.save(rebuilt, record.metadata(), zip);
        assertThat(WeightSnapshots.toFlatParams(ModelSources.toServing(ModelFiles.load(zip)).weights()))
                .containsExactly(record.parameters());
        assertThatThrownBy(() -> ModelRecords.toServing(record, config))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("cell gru != model.cell lstm");
    }

    @Test
    void aNetworkRebuiltFromARecordHasItsParametersAndSavesAsALoadableZip() {
        ModelRecord record = record(5, 3);
        MultiLayerNetwork net = ModelRecords.toNetwork(record, spec);
        assertThat(net.params().toFloatVector()).containsExactly(record.parameters());

        Path zip = ModelFiles.versionPath(dir, "plant", 5);
        ModelFiles.save(net, record.metadata(), zip);
        ServingModel loaded = ModelSources.toServing(ModelFiles.load(zip));
        assertThat(loaded.version()).isEqualTo(5);
        assertThat(WeightSnapshots.toFlatParams(loaded.weights())).containsExactly(record.parameters());
    }

    @Test
    void aRecordForAnotherModelNameIsRefusedNamingBoth() {
        PipelineConfig other = PipelineConfigLoader.parse("name: other\nhorizon: 3\nmodel: {layers: [6, 4]}");
        assertThatThrownBy(() -> ModelRecords.toServing(record(2, 1), other)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("is for model 'plant', this pipeline serves 'other'");
    }

    @Test
    void aRecordShapedForAnotherPipelineIsRefusedNamingEveryDifference() {
        PipelineConfig other = PipelineConfigLoader.parse("name: plant\nhorizon: 2\nmodel: {layers: [6, 5]}");
        assertThatThrownBy(() -> ModelRecords.toServing(record(2, 1), other)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("does not fit pipeline 'plant'")
                .hasMessageContaining("layers [6, 4] != model.layers [6, 5]")
                .hasMessageContaining("horizon 3 != horizon 2");
    }

    @Test
    void aRecordWhoseParameterCountDoesNotFitItsShapeIsRefused() {
        ModelRecord good = record(2, 1);
        ModelRecord short1 = ModelRecordCodec.of(good.metadata(),
                Arrays.copyOf(good.parameters(), good.parameters().length - 1));
        assertThatThrownBy(() -> ModelRecords.toServing(short1, config)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("wrong number of parameters");
        assertThatThrownBy(() -> ModelRecords.toNetwork(short1, spec)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("needs " + good.parameters().length);
    }

    @Test
    void aRecordWithANanOrInfiniteParameterIsRefused() {
        for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            float[] parameters = record(2, 1).parameters();
            parameters[parameters.length / 2] = poison;
            ModelRecord poisoned = ModelRecordCodec.of(TestModels.metadata(config, 2), parameters);
            assertThatThrownBy(() -> ModelRecords.toServing(poisoned, config))
                    .isInstanceOf(InvalidModelException.class).hasMessageContaining("NaN or infinite");
        }
    }

    @Test
    void aRecordWithIncompleteMetadataIsRefusedInsteadOfFailingLater() {
        ModelMetadata bare = new ModelMetadata("plant", 2, 1, null, null, null, null, 3, true, true, null, 0, 0, null, null);
        assertThatThrownBy(() -> ModelRecords.toServing(ModelRecordCodec.of(bare, new float[4]), config))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("lacks its name, cell, layers or channels");
    }

    @Test
    void aNetworkOfAnotherShapeThanItsMetadataCannotBecomeARecord() {
        PipelineConfig smaller = PipelineConfigLoader.parse("name: plant\nhorizon: 3\nmodel: {layers: [6]}");
        MultiLayerNetwork net = Dl4jNetworks.create(ModelShapes.specOf(smaller), TrainingOptions.defaults(), 1);
        assertThatThrownBy(() -> ModelRecords.fromNetwork(net, TestModels.metadata(config, 2)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
