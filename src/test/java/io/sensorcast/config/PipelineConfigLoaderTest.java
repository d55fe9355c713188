package io.sensorcast.config;

import io.sensorcast.recurrent.CellType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineConfigLoaderTest {

    @Test
    void shippedPipelineLoadsWithItsDocumentedValues() {
        PipelineConfig c = PipelineConfigLoader.load(Path.of("topologies/sensorcast.yaml"));
        assertThat(c.name()).isEqualTo("sensorcast");
        assertThat(c.topics()).isEqualTo(TopicNames.DEFAULTS);
        assertThat(c.channels()).containsExactly("value");
        assertThat(c.horizon()).isEqualTo(5);
        assertThat(c.model().cell()).isEqualTo(CellType.LSTM);
        assertThat(c.model().layers()).containsExactly(32);
        assertThat(c.features().seasons()).containsExactly("P1D", "P7D");
        // value, gap, time of day (2), day of week (2), then per season (day, week) 5 targets and a missing flag.
        assertThat(c.inputSize()).isEqualTo(6 + 2 * (5 + 1)).isEqualTo(18);
        assertThat(c.outputSize()).isEqualTo(5);
        assertThat(c.kafka()).containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("commit.interval.ms", "100");
    }

    @Test
    void emptyFileMeansAllDefaults() {
        PipelineConfig c = PipelineConfigLoader.parse("");
        assertThat(c.horizon()).isEqualTo(5);
        assertThat(c.features()).isEqualTo(FeatureSettings.DEFAULTS);
        assertThat(c.model()).isEqualTo(ModelSettings.DEFAULTS);
        assertThat(c.limits()).isEqualTo(LimitSettings.DEFAULTS);
    }

    @Test
    void idleTtlIsAnIsoDurationDefaultingToThirtyDaysAndZeroKeepsEverySensor() {
        PipelineConfig defaults = PipelineConfigLoader.parse("");
        assertThat(defaults.state()).isEqualTo(StateSettings.DEFAULTS);
        assertThat(defaults.state().idleTtlDuration()).contains(java.time.Duration.ofDays(30));
        assertThat(defaults.topics().control()).isEqualTo("sensor-control");
        assertThat(PipelineConfigLoader.parse("state: {idleTtl: 0}").state().idleTtlDuration()).isEmpty();
        PipelineConfig hours = PipelineConfigLoader.parse("state: {idleTtl: PT36H, evictionInterval: PT0.5S, evictionBatch: 10}");
        assertThat(hours.state().idleTtlDuration()).contains(java.time.Duration.ofHours(36));
        assertThat(hours.state().evictionIntervalDuration()).isEqualTo(java.time.Duration.ofMillis(500));
    }

    @Test
    void shippedGruPipelineIsTheShippedOneWithTheGruCellUnderItsOwnName() {
        PipelineConfig lstm = PipelineConfigLoader.load(Path.of("topologies/sensorcast.yaml"));
        PipelineConfig gru = PipelineConfigLoader.load(Path.of("topologies/sensorcast-gru.yaml"));
        assertThat(gru.model().cell()).isEqualTo(CellType.GRU);
        assertThat(gru.name()).isEqualTo("sensorcast-gru");
        assertThat(gru.kafka()).containsEntry("application.id", "sensorcast-gru");
        assertThat(gru.model().path()).isEqualTo("models/bootstrap-gru.zip");
        assertThat(gru.model().layers()).isEqualTo(lstm.model().layers());
        assertThat(gru.inputSize()).isEqualTo(lstm.inputSize());
        assertThat(gru.outputSize()).isEqualTo(lstm.outputSize());
        assertThat(gru.training()).isEqualTo(lstm.training());
        assertThat(gru.features()).isEqualTo(lstm.features());
        assertThat(gru.forecast()).isEqualTo(lstm.forecast());
        assertThat(gru.anomaly()).isEqualTo(lstm.anomaly());
    }

    @Test
    void multiChannelPipelineSizesItsNetworkFromChannelsFeaturesAndHorizon() {
        PipelineConfig c = PipelineConfigLoader.parse("""
                channels: [temp, rh]
                horizon: 3
                features: {timeOfDay: false, dayOfWeek: true}
                model: {cell: rnn, layers: [16, 8]}
                """);
        // 2 values, gap, day of week (2), then per default season (day, week) 3 targets x 2 channels and a flag.
        assertThat(c.inputSize()).isEqualTo(2 + 1 + 2 + 2 * (3 * 2 + 1));
        assertThat(c.outputSize()).isEqualTo(6);
        assertThat(c.model().cell()).isEqualTo(CellType.RNN);
        assertThat(c.model().hiddenSizes()).containsExactly(16, 8);
        PipelineConfig withoutSeasons = PipelineConfigLoader.parse("""
                channels: [temp, rh]
                horizon: 3
                features: {timeOfDay: false, dayOfWeek: true, seasons: []}
                """);
        assertThat(withoutSeasons.inputSize()).isEqualTo(2 + 1 + 2);
    }

    @Test
    void anyKafkaClientPropertyPassesThroughUnchanged() {
        PipelineConfig c = PipelineConfigLoader.parse("""
                kafka:
                  bootstrap.servers: broker:9093
                  security.protocol: SASL_SSL
                  sasl.mechanism: SCRAM-SHA-512
                  num.stream.threads: 4
                """);
        assertThat(c.kafkaProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("num.stream.threads", "4");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "horizon: 0                              | horizon",
            "horizon: 500                            | horizon",
            "horizon: five                           | horizon",
            "model: {cell: lstm2}                    | model.cell",
            "model: {cell: bidirectional}            | model.cell",
            "model: {layers: []}                     | model.layers",
            "model: {layers: [0]}                    | model.layers",
            "model: {replayWindow: -1}               | model.replayWindow",
            "model: {cel: lstm}                      | model.cel",
            "channels: []                            | channels",
            "'channels: [a, a]'                      | channels",
            "topics: {events: 'bad topic!'}          | topics.events",
            "topics: {events: x, forecasts: x}       | topics",
            "limits: {maxPayloadBytes: 10}           | limits.maxPayloadBytes",
            "features: {defaultCadenceSeconds: 0}    | features.defaultCadenceSeconds",
            "horizn: 5                               | horizn",
    })
    void invalidConfigurationFailsNamingTheKey(String yaml, String key) {
        assertThatThrownBy(() -> PipelineConfigLoader.parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }

    @Test
    void unknownKeyMessageListsTheAllowedKeys() {
        assertThatThrownBy(() -> PipelineConfigLoader.parse("model: {cel: lstm}"))
                .hasMessageContaining("unknown key 'model.cel'")
                .hasMessageContaining("cell").hasMessageContaining("layers").hasMessageContaining("replayWindow");
    }

    @Test
    void missingFileFailsNamingTheOption() {
        assertThatThrownBy(() -> PipelineConfigLoader.load(Path.of("no/such.yaml")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--config");
    }

    @Test
    void withKafkaOverridesOnlyTheGivenProperties() {
        PipelineConfig c = PipelineConfigLoader.load(Path.of("topologies/sensorcast.yaml"))
                .withKafka(Map.of("bootstrap.servers", "127.0.0.1:1234"));
        assertThat(c.kafka()).containsEntry("bootstrap.servers", "127.0.0.1:1234")
                .containsEntry("application.id", "sensorcast");
        assertThat(List.copyOf(c.channels())).containsExactly("value");
    }

    @Test
    void wholeNumbersBeyondIntAreAcceptedWhereTheKeyIsADecimal() {
        PipelineConfig config = PipelineConfigLoader.parse("limits: {maxAbsValue: 1000000000000}\n");

        assertThat(config.limits().maxAbsValue()).isEqualTo(1e12);
    }
}
