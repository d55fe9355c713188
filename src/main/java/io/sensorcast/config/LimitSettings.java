package io.sensorcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Bounds on what an event may contain before it is dead-lettered. */
public record LimitSettings(int maxPayloadBytes, double maxAbsValue, int maxSensorIdLength) {

    public static final LimitSettings DEFAULTS = new LimitSettings(4096, 1e12, 256);

    @JsonCreator
    public LimitSettings(@JsonProperty("maxPayloadBytes") Integer maxPayloadBytes,
                         @JsonProperty("maxAbsValue") Double maxAbsValue,
                         @JsonProperty("maxSensorIdLength") Integer maxSensorIdLength) {
        this(maxPayloadBytes == null ? 4096 : maxPayloadBytes, maxAbsValue == null ? 1e12 : maxAbsValue,
                maxSensorIdLength == null ? 256 : maxSensorIdLength);
    }
}
