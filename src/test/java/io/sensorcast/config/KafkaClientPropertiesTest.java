package io.sensorcast.config;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientPropertiesTest {

    private static final Map<String, String> KAFKA = Map.of(
            "bootstrap.servers", "127.0.0.1:9092",
            "processing.guarantee", "exactly_once_v2",
            "config.providers", "env",
            "config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
            "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"u\" password=\"${env:PATH}\";");

    @Test
    void keepsTheClientsOwnSettingsAndDropsOthers() {
        Properties p = KafkaClientProperties.forClient(KAFKA, AdminClientConfig.configNames());

        assertThat(p).containsKeys("bootstrap.servers", "sasl.jaas.config").doesNotContainKey("processing.guarantee");
    }

    @Test
    void keepsConfigProviderSettingsSoEnvironmentReferencesResolve() {
        Properties p = KafkaClientProperties.forClient(KAFKA, AdminClientConfig.configNames());

        // The client resolves ${env:PATH} only when it is given the provider's class as well.
        String resolved = new AdminClientConfig(p).getPassword("sasl.jaas.config").value();
        assertThat(resolved).contains("password=\"" + System.getenv("PATH") + "\"").doesNotContain("${env:");
    }
}
