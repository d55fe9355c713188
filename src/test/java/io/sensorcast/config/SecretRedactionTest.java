package io.sensorcast.config;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SecretRedactionTest {

    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"sensorcast\" password=\"Tr0ub4dor&3\";";

    @Test
    void everyPasswordTypedKafkaSettingIsSecretAlsoBehindAStreamsPrefix() {
        for (String key : new String[]{"sasl.jaas.config", "ssl.keystore.password", "ssl.key.password",
                "ssl.truststore.password", "ssl.keystore.key", "ssl.keystore.certificate.chain",
                "ssl.truststore.certificates", "sasl.oauthbearer.client.credentials.client.secret",
                "producer.sasl.jaas.config", "main.consumer.ssl.key.password", "admin.ssl.keystore.password"}) {
            assertThat(SecretRedaction.isSecret(key, "x")).as(key).isTrue();
        }
    }

    @Test
    void ordinarySettingsStayVisible() {
        for (String key : new String[]{"bootstrap.servers", "security.protocol", "sasl.mechanism",
                "ssl.truststore.location", "ssl.keystore.type", "ssl.endpoint.identification.algorithm",
                "application.id", "config.providers", "config.providers.env.class", "state.dir"}) {
            assertThat(SecretRedaction.isSecret(key, "PLAIN")).as(key).isFalse();
        }
    }

    @Test
    void unknownKeysAreJudgedByTheirNameOrAPasswordOptionInTheValue() {
        assertThat(SecretRedaction.isSecret("schema.registry.basic.auth.user.info", "u:p")).isTrue();
        assertThat(SecretRedaction.isSecret("my.plugin.client.secret", "abc")).isTrue();
        assertThat(SecretRedaction.isSecret("my.plugin.options", "user=a password=b")).isTrue();
        assertThat(SecretRedaction.isSecret("my.plugin.options", "user=a")).isFalse();
    }

    @Test
    void redactHidesSecretValuesAndKeepsTheRestInKeyOrder() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("security.protocol", "SASL_SSL");
        settings.put("sasl.jaas.config", JAAS);
        settings.put("bootstrap.servers", "kafka:9093");
        settings.put("ssl.keystore.password", "changeit");

        Map<String, String> shown = SecretRedaction.redact(settings);

        assertThat(shown).containsExactly(Map.entry("bootstrap.servers", "kafka:9093"),
                Map.entry("sasl.jaas.config", SecretRedaction.REDACTED),
                Map.entry("security.protocol", "SASL_SSL"),
                Map.entry("ssl.keystore.password", SecretRedaction.REDACTED));
        assertThat(shown.toString()).doesNotContain("Tr0ub4dor&3").doesNotContain("changeit");
    }

    @Test
    void redactTextHidesAWholeJaasValueAndItsPasswordAlone() {
        Map<String, String> settings = Map.of("sasl.jaas.config", JAAS, "ssl.key.password", "k3y-pass");
        String message = "Invalid JAAS config " + JAAS + "; the password Tr0ub4dor&3 was refused; key k3y-pass";

        String shown = SecretRedaction.redactText(message, settings);

        assertThat(shown).doesNotContain("Tr0ub4dor&3").doesNotContain("k3y-pass")
                .startsWith("Invalid JAAS config [redacted]").contains("the password [redacted] was refused");
    }

    @Test
    void redactTextHidesPasswordOptionsOfValuesItWasNotGiven() {
        String shown = SecretRedaction.redactText("module required username=\"u\" password=\"hunter22\";", Map.of());

        assertThat(shown).isEqualTo("module required username=\"u\" password=[redacted];");
    }

    @Test
    void redactTextLeavesVeryShortSecretsInsideWordsAlone() {
        String shown = SecretRedaction.redactText("cannot reach kafka:9093", Map.of("ssl.key.password", "ka"));

        assertThat(shown).isEqualTo("cannot reach kafka:9093");
    }
}
