package io.sensorcast.config;

/** Bounds on what an event may contain before it is dead-lettered (keys, defaults and ranges: {@link ConfigKeys}). */
public record LimitSettings(int maxPayloadBytes, double maxAbsValue, int maxSensorIdLength, long maxFutureSeconds) {

    public static final LimitSettings DEFAULTS = PipelineConfigLoader.defaults("limits", LimitSettings.class);
}
