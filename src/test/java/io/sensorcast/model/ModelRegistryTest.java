package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.testing.TestModels;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelRegistryTest {

    private final PipelineConfig config = PipelineConfigLoader.parse("horizon: 2\nmodel: {layers: [6]}");

    @Test
    void aNewerValidModelIsSwappedInAndListenersAreTold() {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        List<Long> swapped = new ArrayList<>();
        registry.onSwap(m -> swapped.add(m.version()));
        assertThat(registry.offer(TestModels.servingModel(config, 2, 2))).isTrue();
        assertThat(registry.current().version()).isEqualTo(2);
        assertThat(swapped).containsExactly(2L);
    }

    @Test
    void anOlderOrEqualVersionIsIgnoredAndTheServingModelStays() {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 5, 1));
        assertThat(registry.offer(TestModels.servingModel(config, 5, 2))).isFalse();
        assertThat(registry.offer(TestModels.servingModel(config, 3, 2))).isFalse();
        assertThat(registry.current().version()).isEqualTo(5);
    }

    @Test
    void aModelWithNanWeightsIsRefusedAndTheServingModelStays() {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        ServingModel poisoned = TestModels.servingModel(config, 2, 2);
        poisoned.weights().layers()[0].rw()[3] = Float.NaN;
        assertThatThrownBy(() -> registry.offer(poisoned)).isInstanceOf(InvalidModelException.class)
                .hasMessageContaining("NaN");
        assertThat(registry.current().version()).isEqualTo(1);
    }

    @Test
    void aModelOfAnotherShapeIsRefusedAndTheServingModelStays() {
        ModelRegistry registry = new ModelRegistry(ModelShapes.specOf(config), TestModels.servingModel(config, 1, 1));
        PipelineConfig bigger = PipelineConfigLoader.parse("horizon: 2\nmodel: {layers: [7]}");
        NetworkWeights wrong = TestModels.randomWeights(ModelShapes.specOf(bigger), 3);
        assertThatThrownBy(() -> registry.offer(new ServingModel(2, wrong, null)))
                .isInstanceOf(InvalidModelException.class).hasMessageContaining("shape");
        assertThat(registry.current().version()).isEqualTo(1);
    }
}
