package io.sensorcast.config;

import io.sensorcast.ingest.ParserSettings;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One forecasting pipeline, as declared in a {@code topologies/*.yaml} file.
 *
 * @param name     model name: key of the model records and prefix of saved model files
 * @param kafka    Kafka client and Streams properties, passed through unchanged (security settings included)
 * @param instanceId stable id of this instance for static group membership; empty for the environment's or none
 * @param topics   topic names
 * @param channels value channels of every event, in input order
 * @param horizon  K, how many future values each forecast holds per channel
 * @param features extra inputs to the cell
 * @param model    network shape and model sources
 * @param forecast quantiles and how the intervals around the point forecast are learnt
 * @param anomaly  how each event's anomaly score is computed and published
 * @param limits   bounds on accepted events
 * @param state    how long an idle sensor's state is kept and how the idle-sensor sweep is paced
 * @param training online training
 * @param metrics  metrics and health endpoint
 * @param queries  the /sensors query API
 */
public record PipelineConfig(String name, Map<String, String> kafka, String instanceId, TopicNames topics,
                             List<String> channels, int horizon, FeatureSettings features, ModelSettings model,
                             ForecastSettings forecast, AnomalySettings anomaly, LimitSettings limits,
                             StateSettings state, TrainingSettings training, MetricsSettings metrics,
                             QuerySettings queries) {

    public PipelineConfig {
        kafka = Map.copyOf(kafka);
        channels = List.copyOf(channels);
    }

    /** A pipeline with every default (see {@link ConfigKeys}). */
    public static PipelineConfig defaults() {
        return PipelineConfigLoader.parse("");
    }

    /** Width of the cell's input vector. */
    public int inputSize() {
        return features.inputSize(channels.size(), horizon);
    }

    /** Width of the network's head: K values per channel. */
    public int outputSize() {
        return horizon * channels.size();
    }

    /** The event parser's settings: this pipeline's channels and limits. */
    public ParserSettings parserSettings() {
        return new ParserSettings(channels, limits.maxPayloadBytes(), limits.maxAbsValue(), limits.maxSensorIdLength());
    }

    /** The Kafka properties as {@link Properties}. */
    public Properties kafkaProperties() {
        Properties p = new Properties();
        p.putAll(kafka);
        return p;
    }

    /** A copy with some Kafka properties replaced (e.g. the demo's embedded broker address). */
    public PipelineConfig withKafka(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(kafka);
        merged.putAll(overrides);
        return new PipelineConfig(name, Map.copyOf(merged), instanceId, topics, channels, horizon, features, model,
                forecast, anomaly, limits, state, training, metrics, queries);
    }

    /** A copy with other training settings (tests and the replay command). */
    public PipelineConfig withTraining(TrainingSettings settings) {
        return new PipelineConfig(name, kafka, instanceId, topics, channels, horizon, features, model, forecast, anomaly,
                limits, state, settings, metrics, queries);
    }

    /** A copy whose accepted models are written to another directory (the demo keeps them in its temp dir). */
    public PipelineConfig withModelDirectory(String directory) {
        ModelSettings m = model;
        return new PipelineConfig(name, kafka, instanceId, topics, channels, horizon, features,
                new ModelSettings(m.cell(), m.layers(), m.path(), directory, m.replayWindow(),
                        m.calibrationWindow()), forecast, anomaly, limits, state, training, metrics, queries);
    }

    /** A copy with other anomaly settings (tests). */
    public PipelineConfig withAnomaly(AnomalySettings settings) {
        return new PipelineConfig(name, kafka, instanceId, topics, channels, horizon, features, model, forecast, settings,
                limits, state, training, metrics, queries);
    }

    /** A copy with other state settings (tests: a short idle TTL). */
    public PipelineConfig withState(StateSettings settings) {
        return new PipelineConfig(name, kafka, instanceId, topics, channels, horizon, features, model, forecast, anomaly,
                limits, settings, training, metrics, queries);
    }

    /** A copy with other metrics settings (tests pick a free port on loopback). */
    public PipelineConfig withMetrics(MetricsSettings settings) {
        return new PipelineConfig(name, kafka, instanceId, topics, channels, horizon, features, model, forecast, anomaly,
                limits, state, training, settings, queries);
    }

    /** A copy with other query settings (tests pick the advertised address). */
    public PipelineConfig withQueries(QuerySettings settings) {
        return new PipelineConfig(name, kafka, instanceId, topics, channels, horizon, features, model, forecast, anomaly,
                limits, state, training, metrics, settings);
    }
}
