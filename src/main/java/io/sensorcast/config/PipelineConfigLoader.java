package io.sensorcast.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads a pipeline YAML file and refuses, naming the key, anything that could not run. */
public final class PipelineConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private PipelineConfigLoader() {
    }

    /** Loads and validates a pipeline file. */
    public static PipelineConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config: no such file: " + file);
        }
        try {
            return validate(YAML.readValue(file.toFile(), PipelineConfig.class));
        } catch (IOException e) {
            throw translate(file.toString(), e);
        }
    }

    /** Loads and validates pipeline YAML text (used by tests and the packaged default). */
    public static PipelineConfig parse(String yaml) {
        try {
            // An empty document means "all defaults", as an empty file does.
            return validate(YAML.readValue(yaml.isBlank() ? "{}" : yaml, PipelineConfig.class));
        } catch (IOException e) {
            throw translate("configuration", e);
        }
    }

    private static ConfigException translate(String source, IOException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String allowed = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new ConfigException(source + ": unknown key '" + path(u) + "'; allowed here: " + allowed, e);
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(source + ": key '" + path(f) + "' has value '" + f.getValue()
                    + "', which is not a " + f.getTargetType().getSimpleName(), e);
        }
        if (e instanceof MismatchedInputException m) {
            return new ConfigException(source + ": key '" + path(m) + "' has the wrong type (expected "
                    + (m.getTargetType() == null ? "another type" : m.getTargetType().getSimpleName()) + ")", e);
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof ConfigException c) {
            return new ConfigException(source + ": " + c.getMessage(), e);
        }
        return new ConfigException(source + ": cannot read YAML: " + e.getMessage(), e);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Range and consistency checks that types alone cannot express. */
    public static PipelineConfig validate(PipelineConfig c) {
        require(!c.name().isBlank() && c.name().matches("[A-Za-z0-9._-]{1,100}"), "name",
                "'" + c.name() + "' must be 1-100 letters, digits, '.', '_' or '-'");
        require(c.horizon() >= 1 && c.horizon() <= 100, "horizon", c.horizon() + " is out of range; allowed: 1..100");
        require(!c.channels().isEmpty() && c.channels().size() <= 32, "channels",
                "needs 1..32 channel names, got " + c.channels().size());
        Set<String> seen = new HashSet<>();
        for (String ch : c.channels()) {
            require(ch != null && CHANNEL_NAME.matcher(ch).matches(), "channels",
                    "'" + ch + "' is not a valid channel name (letter or _ first, then letters, digits, _ . -)");
            require(seen.add(ch), "channels", "'" + ch + "' appears twice");
        }
        TopicNames t = c.topics();
        for (var entry : List.of(List.of("topics.events", t.events()), List.of("topics.forecasts", t.forecasts()),
                List.of("topics.deadLetter", t.deadLetter()), List.of("topics.models", t.models()))) {
            require(TOPIC_NAME.matcher(entry.get(1)).matches(), entry.get(0),
                    "'" + entry.get(1) + "' is not a valid Kafka topic name");
        }
        require(new HashSet<>(List.of(t.events(), t.forecasts(), t.deadLetter(), t.models())).size() == 4, "topics",
                "events, forecasts, deadLetter and models must be four different topics");
        require(c.features().defaultCadenceSeconds() > 0 && c.features().defaultCadenceSeconds() <= 86_400 * 7,
                "features.defaultCadenceSeconds", c.features().defaultCadenceSeconds() + " is out of range; allowed: (0, 604800]");
        ModelSettings m = c.model();
        require(!m.layers().isEmpty() && m.layers().size() <= 4, "model.layers",
                "needs 1..4 stacked layers, got " + m.layers().size());
        for (Integer h : m.layers()) {
            require(h != null && h >= 1 && h <= 1024, "model.layers", h + " is out of range; allowed: 1..1024");
        }
        require(m.replayWindow() >= 0 && m.replayWindow() <= 1024, "model.replayWindow",
                m.replayWindow() + " is out of range; allowed: 0..1024");
        require(!m.path().isBlank(), "model.path", "must name the bootstrap model file");
        LimitSettings l = c.limits();
        require(l.maxPayloadBytes() >= 64 && l.maxPayloadBytes() <= 1_048_576, "limits.maxPayloadBytes",
                l.maxPayloadBytes() + " is out of range; allowed: 64..1048576");
        require(l.maxAbsValue() > 0 && l.maxAbsValue() <= 1e300, "limits.maxAbsValue",
                l.maxAbsValue() + " is out of range; allowed: (0, 1e300]");
        require(l.maxSensorIdLength() >= 1 && l.maxSensorIdLength() <= 4096, "limits.maxSensorIdLength",
                l.maxSensorIdLength() + " is out of range; allowed: 1..4096");
        TrainingSettings t2 = c.training();
        require(t2.everySamples() >= 1, "training.everySamples", t2.everySamples() + " is out of range; allowed: >= 1");
        require(t2.everySeconds() >= 0, "training.everySeconds", t2.everySeconds() + " is out of range; allowed: >= 0 (0: by count only)");
        require(t2.maxKeys() >= 1 && t2.maxKeys() <= 100_000, "training.maxKeys", t2.maxKeys() + " is out of range; allowed: 1..100000");
        require(t2.windowLength() >= 2 && t2.windowLength() <= 10_000, "training.windowLength",
                t2.windowLength() + " is out of range; allowed: 2..10000");
        require(t2.stepsPerKey() >= 2 * t2.windowLength() + c.horizon() && t2.stepsPerKey() <= 100_000,
                "training.stepsPerKey", t2.stepsPerKey() + " is out of range; allowed: 2 x windowLength + horizon ("
                        + (2 * t2.windowLength() + c.horizon()) + ") .. 100000, so each sensor has a training and a held-out window");
        require(t2.tbpttLength() >= 1 && t2.tbpttLength() <= t2.windowLength(), "training.tbpttLength",
                t2.tbpttLength() + " is out of range; allowed: 1..windowLength (" + t2.windowLength() + ")");
        require(t2.batchSize() >= 1 && t2.batchSize() <= 4096, "training.batchSize", t2.batchSize() + " is out of range; allowed: 1..4096");
        require(t2.epochs() >= 1 && t2.epochs() <= 1000, "training.epochs", t2.epochs() + " is out of range; allowed: 1..1000");
        require(List.of("adam", "sgd", "rmsprop").contains(t2.optimizer().toLowerCase(java.util.Locale.ROOT)),
                "training.optimizer", "'" + t2.optimizer() + "' is not an optimiser; allowed: adam, sgd, rmsprop");
        require(t2.learningRate() > 0 && t2.learningRate() <= 10, "training.learningRate",
                t2.learningRate() + " is out of range; allowed: (0, 10]");
        require(t2.clipThreshold() > 0 && Double.isFinite(t2.clipThreshold()), "training.clipThreshold",
                t2.clipThreshold() + " is out of range; allowed: > 0");
        require(t2.tolerance() >= 0 && t2.tolerance() <= 1, "training.tolerance", t2.tolerance() + " is out of range; allowed: 0..1");
        require(t2.intakeCapacity() >= 1 && t2.intakeCapacity() <= 10_000_000, "training.intakeCapacity",
                t2.intakeCapacity() + " is out of range; allowed: 1..10000000");
        MetricsSettings m2 = c.metrics();
        require(m2.port() >= 0 && m2.port() <= 65_535, "metrics.port", m2.port() + " is out of range; allowed: 0..65535");
        require(m2.sensors().size() <= 50, "metrics.sensors", "lists " + m2.sensors().size()
                + " sensors; allowed: at most 50 (per-sensor series must stay few)");
        require(m2.window() >= 10 && m2.window() <= 1_000_000, "metrics.window", m2.window() + " is out of range; allowed: 10..1000000");
        for (var e : c.kafka().entrySet()) {
            require(e.getValue() != null, "kafka." + e.getKey(), "has no value");
        }
        return c;
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw new ConfigException(key + ": " + problem);
        }
    }
}
