package io.sensorcast.config;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** The part of a pipeline's {@code kafka:} section that one kind of Kafka client accepts. */
public final class KafkaClientProperties {

    /**
     * Per-provider settings such as {@code config.providers.env.class} are not in any client's list of known
     * names, yet a client needs them to resolve {@code ${env:...}} and {@code ${file:...}} references; without
     * them a credential reaches the broker as the literal reference.
     */
    private static final String CONFIG_PROVIDER_PREFIX = "config.providers";

    private KafkaClientProperties() {
    }

    /**
     * The settings whose names the client knows (e.g. {@code AdminClientConfig.configNames()}), together with
     * the configuration provider settings. Filtering keeps clients from warning about the others' settings.
     */
    public static Properties forClient(Map<String, String> kafka, Set<String> knownNames) {
        Properties p = new Properties();
        kafka.forEach((k, v) -> {
            if (knownNames.contains(k) || k.startsWith(CONFIG_PROVIDER_PREFIX)) {
                p.put(k, v);
            }
        });
        return p;
    }
}
