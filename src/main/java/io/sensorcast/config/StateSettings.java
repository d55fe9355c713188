package io.sensorcast.config;

import java.time.Duration;
import java.util.Optional;

/**
 * How long the service keeps a sensor it no longer hears from, and how the sweep that forgets such sensors is
 * paced (keys, defaults and ranges: {@link ConfigKeys}).
 *
 * @param idleTtl          ISO-8601 duration, or "0" to keep every sensor
 * @param evictionInterval ISO-8601 duration between two slices of the sweep, per stream task (wall clock)
 * @param evictionBatch    sensors one slice examines at most
 */
public record StateSettings(String idleTtl, String evictionInterval, int evictionBatch) {

    public static final StateSettings DEFAULTS = PipelineConfigLoader.defaults("state", StateSettings.class);

    /** The idle TTL, empty when sensors are kept forever (the loader has checked it parses). */
    public Optional<Duration> idleTtlDuration() {
        return idleTtl.equals("0") ? Optional.empty() : Optional.of(Duration.parse(idleTtl));
    }

    /** The time between two slices of the sweep. */
    public Duration evictionIntervalDuration() {
        return Duration.parse(evictionInterval);
    }
}
