package io.sensorcast.testing;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pipeline file of a service JVM under test: exactly_once_v2, a short commit interval, its own state
 * and model directories, no training and the shipped bootstrap model, so its forecasts are deterministic.
 *
 * @param name      pipeline name and application id
 * @param bootstrap the broker's {@code bootstrap.servers}
 * @param home      directory of this instance (state and models below it)
 * @param kafka     further client or Streams properties (e.g. {@code num.standby.replicas})
 */
public record ChildPipeline(String name, String bootstrap, Path home, Map<String, String> kafka) {

    /** The fixed model every instance and the in-process reference serve. */
    public static final Path MODEL = Path.of("models/bootstrap.zip").toAbsolutePath();

    public ChildPipeline {
        kafka = Map.copyOf(kafka);
    }

    /** Kafka settings every test instance shares; {@link #kafka} adds to or overrides them. */
    public Map<String, String> kafkaSettings() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("bootstrap.servers", bootstrap);
        all.put("processing.guarantee", "exactly_once_v2");
        all.put("commit.interval.ms", "100");
        all.put("state.dir", home.resolve("state").toString());
        // A SIGKILLed member stays in the group until its session expires; the broker's minimum keeps
        // each restart's wait short without a test-only code path.
        all.put("session.timeout.ms", "6000");
        all.put("heartbeat.interval.ms", "1000");
        all.putAll(kafka);
        return all;
    }

    /** Writes the YAML to {@code home/pipeline.yaml} and returns its path. */
    public Path write() {
        return write("");
    }

    /** Writes the YAML with {@code moreYaml} (further top-level keys) appended. */
    public Path write(String moreYaml) {
        StringBuilder yaml = new StringBuilder();
        yaml.append("name: ").append(name).append('\n');
        yaml.append("kafka:\n");
        kafkaSettings().forEach((k, v) -> yaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        yaml.append("model:\n");
        yaml.append("  path: \"").append(MODEL).append("\"\n");
        yaml.append("  directory: \"").append(home.resolve("models")).append("\"\n");
        yaml.append("training: {enabled: false}\n");
        yaml.append("metrics: {host: 127.0.0.1, port: 0}\n");
        yaml.append(moreYaml);
        try {
            Files.createDirectories(home);
            Path file = home.resolve("pipeline.yaml");
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same pipeline as the child parses it (for topic names, channels and the in-process reference). */
    public PipelineConfig config() {
        return PipelineConfigLoader.load(write());
    }
}
