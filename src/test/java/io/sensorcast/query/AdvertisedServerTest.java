package io.sensorcast.query;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdvertisedServerTest {

    private static PipelineConfig config(String yaml) {
        return PipelineConfigLoader.parse(yaml);
    }

    @Test
    void theConfiguredAddressComesFirstThenTheEnvironmentThenKafkaApplicationServer() {
        Map<String, String> env = Map.of("SENSORCAST_ADVERTISED_SERVER", "pod-1.svc:8080");

        assertThat(AdvertisedServer.of(config("queries: {advertisedServer: 'api-0:9000'}"), env, 1234))
                .isEqualTo("api-0:9000");
        assertThat(AdvertisedServer.of(config(""), env, 1234)).isEqualTo("pod-1.svc:8080");
        assertThat(AdvertisedServer.of(config("kafka: {application.server: 'host-a:7000'}"), Map.of(), 1234))
                .isEqualTo("host-a:7000");
    }

    @Test
    void withNothingSetItIsTheMetricsHostAndTheBoundPortOrThisMachinesNameForAWildcard() {
        assertThat(AdvertisedServer.of(config("metrics: {host: 127.0.0.1}"), Map.of(), 4321)).isEqualTo("127.0.0.1:4321");
        assertThat(AdvertisedServer.of(config(""), Map.of(), 4321)).endsWith(":4321").doesNotStartWith("0.0.0.0");
    }

    @Test
    void contradictingSettingsStopStartUpNamingBoth() {
        assertThatThrownBy(() -> AdvertisedServer.of(
                config("queries: {advertisedServer: 'a:1'}\nkafka: {application.server: 'b:2'}"), Map.of(), 1))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.application.server: 'b:2' contradicts queries.advertisedServer 'a:1'");
        assertThat(AdvertisedServer.of(config("queries: {advertisedServer: 'a:1'}\nkafka: {application.server: 'a:1'}"),
                Map.of(), 1)).isEqualTo("a:1");
    }

    @Test
    void aMalformedAddressIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> AdvertisedServer.of(config(""), Map.of("SENSORCAST_ADVERTISED_SERVER", "pod 1:80"), 1))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("SENSORCAST_ADVERTISED_SERVER: 'pod 1:80'");
        for (String bad : new String[] {"nohost", "host:", "host:0", "host:65536", ":80", "http://host:80", "a b:80"}) {
            assertThatThrownBy(() -> config("queries: {advertisedServer: '" + bad + "'}")).as(bad)
                    .isInstanceOf(ConfigException.class).hasMessageContaining("queries.advertisedServer");
        }
    }
}
