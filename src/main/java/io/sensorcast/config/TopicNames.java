package io.sensorcast.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Names of the topics the pipeline reads and writes. */
public record TopicNames(String events, String forecasts, String deadLetter, String models) {

    public static final TopicNames DEFAULTS =
            new TopicNames("sensor-events", "sensor-forecasts", "sensor-events.dlq", "forecast-models");

    @JsonCreator
    public TopicNames(@JsonProperty("events") String events, @JsonProperty("forecasts") String forecasts,
                      @JsonProperty("deadLetter") String deadLetter, @JsonProperty("models") String models) {
        this.events = events == null ? "sensor-events" : events;
        this.forecasts = forecasts == null ? "sensor-forecasts" : forecasts;
        this.deadLetter = deadLetter == null ? "sensor-events.dlq" : deadLetter;
        this.models = models == null ? "forecast-models" : models;
    }
}
