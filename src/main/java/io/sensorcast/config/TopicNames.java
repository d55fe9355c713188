package io.sensorcast.config;

/** Names of the topics the pipeline reads and writes. */
public record TopicNames(String events, String forecasts, String deadLetter, String models, String anomalies,
                         String control) {

    public static final TopicNames DEFAULTS = PipelineConfigLoader.defaults("topics", TopicNames.class);
}
