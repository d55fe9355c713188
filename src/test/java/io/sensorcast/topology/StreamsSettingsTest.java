package io.sensorcast.topology;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamsSettingsTest {

    private static final String GROUP_INSTANCE_ID = "group.instance.id";

    @Test
    void withoutAnInstanceIdTheInstanceIsADynamicMember() {
        Properties p = StreamsSettings.of(PipelineConfig.defaults(), Map.of());
        assertThat(p).doesNotContainKey(GROUP_INSTANCE_ID);
    }

    @Test
    void instanceIdBecomesTheStaticMemberIdAndWinsOverTheEnvironment() {
        PipelineConfig config = PipelineConfigLoader.parse("instanceId: serve-0\n");
        Properties p = StreamsSettings.of(config, Map.of("SENSORCAST_INSTANCE_ID", "from-env"));
        assertThat(p.getProperty(GROUP_INSTANCE_ID)).isEqualTo("serve-0");
    }

    @Test
    void anEmptyInstanceIdTakesTheEnvironmentVariableAsThePodNameIsPassedInKubernetes() {
        Properties p = StreamsSettings.of(PipelineConfig.defaults(), Map.of("SENSORCAST_INSTANCE_ID", "sensorcast-2"));
        assertThat(p.getProperty(GROUP_INSTANCE_ID)).isEqualTo("sensorcast-2");
        assertThat(StreamsSettings.of(PipelineConfig.defaults(), Map.of("SENSORCAST_INSTANCE_ID", "  ")))
                .doesNotContainKey(GROUP_INSTANCE_ID);
    }

    @Test
    void anInvalidEnvironmentVariableIsRefusedNamingIt() {
        assertThatThrownBy(() -> StreamsSettings.of(PipelineConfig.defaults(), Map.of("SENSORCAST_INSTANCE_ID", "a b")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("SENSORCAST_INSTANCE_ID")
                .hasMessageContaining("letters, digits");
    }

    @Test
    void aKafkaGroupInstanceIdThatContradictsInstanceIdIsRefusedNamingBoth() {
        PipelineConfig config = PipelineConfigLoader.parse("instanceId: a\nkafka: {group.instance.id: b}\n");
        assertThatThrownBy(() -> StreamsSettings.of(config, Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.group.instance.id")
                .hasMessageContaining("instanceId");
        PipelineConfig direct = PipelineConfigLoader.parse("kafka: {group.instance.id: b}\n");
        assertThat(StreamsSettings.of(direct, Map.of()).getProperty(GROUP_INSTANCE_ID)).isEqualTo("b");
    }

    @Test
    void theStateStoreHasARecordCacheOnlyWhenTheCacheIsSizedAboveZero() {
        assertThat(StreamsSettings.stateCache(PipelineConfig.defaults())).isFalse();
        assertThat(StreamsSettings.of(PipelineConfig.defaults(), Map.of()).getProperty("statestore.cache.max.bytes"))
                .isEqualTo("0");
        assertThat(StreamsSettings.stateCache(PipelineConfigLoader.parse(
                "kafka: {statestore.cache.max.bytes: 1048576}\n"))).isTrue();
        assertThat(StreamsSettings.stateCache(PipelineConfigLoader.parse("kafka: {statestore.cache.max.bytes: 0}\n")))
                .isFalse();
    }

    @Test
    void aStateCacheSizeThatIsNotANumberOfBytesIsRefusedNamingTheKey() {
        for (String bad : new String[] {"ten", "-1", "10MB"}) {
            PipelineConfig config = PipelineConfigLoader.parse("kafka: {statestore.cache.max.bytes: " + bad + "}\n");
            assertThatThrownBy(() -> StreamsSettings.stateCache(config)).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("kafka.statestore.cache.max.bytes")
                    .hasMessageContaining(bad);
        }
    }

    @Test
    void producersBatchUpTo256KilobytesUnlessTheUserSetsABatchSize() {
        String kafka = "kafka: {bootstrap.servers: '127.0.0.1:9'";

        assertThat(producerBatchSize(kafka + "}")).isEqualTo(StreamsSettings.PRODUCER_BATCH_BYTES);
        assertThat(producerBatchSize(kafka + ", batch.size: 65536}")).isEqualTo(65_536);
        assertThat(producerBatchSize(kafka + ", producer.batch.size: 32768}")).isEqualTo(32_768);
    }

    /** The batch size Kafka Streams hands its producers for a pipeline whose YAML is {@code yaml}. */
    private static Object producerBatchSize(String yaml) {
        Properties p = StreamsSettings.of(PipelineConfigLoader.parse(yaml + "\n"), Map.of());
        Object size = new StreamsConfig(p).getProducerConfigs("client").get("batch.size");
        return size instanceof String text ? Integer.valueOf(text) : size;
    }
}
