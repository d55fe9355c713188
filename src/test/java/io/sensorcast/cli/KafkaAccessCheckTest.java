package io.sensorcast.cli;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The start-up check of the client settings that needs no cluster. */
class KafkaAccessCheckTest {

    private static final String MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private static PipelineConfig withKafka(Map<String, String> kafka) {
        return PipelineConfigLoader.parse("name: check-test\n").withKafka(kafka);
    }

    private static Map<String, String> sasl(String jaas) {
        return Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", jaas);
    }

    @Test
    void wellFormedSaslSettingsPass() {
        assertThatCode(() -> KafkaAccessCheck.validateSettings(withKafka(
                sasl(MODULE + " required username=\"u\" password=\"Pa55-word\";")))).doesNotThrowAnyException();
    }

    @Test
    void jaasConfigWithoutItsSemicolonIsReportedByKey() {
        assertThatThrownBy(() -> KafkaAccessCheck.validateSettings(withKafka(
                sasl(MODULE + " required username=\"u\" password=\"Pa55-word\""))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.sasl.jaas.config: not a valid JAAS configuration")
                .hasMessageContaining("not terminated by semi-colon")
                .hasMessageNotContaining("Pa55-word");
    }

    @Test
    void passwordBrokenByAStrayQuoteLeavesNoPieceOfItInTheMessage() {
        assertThatThrownBy(() -> KafkaAccessCheck.validateSettings(withKafka(
                sasl(MODULE + " required username=\"u\" password=\"Pa55\"wordTail\";"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.sasl.jaas.config: not a valid JAAS configuration")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Pa55").doesNotContain("wordTail"));
    }

    @Test
    void valueOfTheWrongTypeIsReportedWithItsKafkaKey() {
        assertThatThrownBy(() -> KafkaAccessCheck.validateSettings(withKafka(
                Map.of("bootstrap.servers", "127.0.0.1:9092", "request.timeout.ms", "soon"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka: ")
                .hasMessageContaining("request.timeout.ms");
    }

    @Test
    void aBootstrapAddressWithoutAPortIsReportedByKeyWithKafkasReasonBeforeAnyClientIsBuilt() {
        assertThatThrownBy(() -> KafkaAccessCheck.validateSettings(withKafka(Map.of("bootstrap.servers", "127.0.0.1"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.bootstrap.servers: '127.0.0.1' is not usable: ")
                .hasMessageContaining("Invalid url").hasMessageContaining("host:port");
    }

    @Test
    void anUnresolvableBootstrapHostIsReportedByKey() {
        assertThatThrownBy(() -> KafkaAccessCheck.validateSettings(withKafka(Map.of("bootstrap.servers",
                "no-such-broker.invalid:9092"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("kafka.bootstrap.servers: 'no-such-broker.invalid:9092' is not usable: ")
                .hasMessageContaining("resolvable");
    }

    @Test
    void missingBootstrapServersAreReportedByKey() {
        assertThatThrownBy(() -> KafkaAccessCheck.validateSettings(withKafka(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kafka.bootstrap.servers: not set");
    }
}
