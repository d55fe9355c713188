package io.sensorcast.bench.service;

import java.util.Locale;
import java.util.Map;

/** Whether a drain runs with the state store's record cache or without it (the service's default). */
enum StateCache {
    /** {@code statestore.cache.max.bytes} at Kafka Streams' own default, 10 MiB: the store gets its record cache. */
    ON(Map.of("statestore.cache.max.bytes", "10485760")),
    /** The service's default ({@code statestore.cache.max.bytes=0}): the store built without its caching layer. */
    OFF(Map.of());

    private final Map<String, String> kafka;

    StateCache(Map<String, String> kafka) {
        this.kafka = kafka;
    }

    /** The Kafka Streams properties this setting adds to a drain's. */
    Map<String, String> kafka() {
        return kafka;
    }

    String label() {
        return "cache-" + name().toLowerCase(Locale.ROOT);
    }

    static StateCache of(String label) {
        try {
            return valueOf(label.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown state cache setting '" + label + "'; known: on, off", e);
        }
    }
}
