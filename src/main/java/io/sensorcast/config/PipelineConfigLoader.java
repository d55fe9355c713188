package io.sensorcast.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads a pipeline YAML file and refuses, naming the key, anything that could not run. */
public final class PipelineConfigLoader {

    private static final ObjectMapper YAML = new ObjectMapper(YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            // "horizon: 5.5" must be refused, not read as 5.
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);

    static final String SEASONS_ALLOWED = "a list of 0..4 different ISO-8601 durations, each PT1H..P366D (e.g. [P1D, P7D])";
    private static final String TOPIC_ALLOWED = "a Kafka topic name of 1-249 characters from a-z A-Z 0-9 . _ -";

    /** What each key accepts, quoted in every error about it so the fix is in the message. */
    private static final Map<String, String> ALLOWED = Map.ofEntries(
            Map.entry("name", "1-100 letters, digits, '.', '_' or '-'"),
            Map.entry("kafka", "a mapping of Kafka client property names to values"),
            Map.entry("topics", "four different topic names"),
            Map.entry("topics.events", TOPIC_ALLOWED),
            Map.entry("topics.forecasts", TOPIC_ALLOWED),
            Map.entry("topics.deadLetter", TOPIC_ALLOWED),
            Map.entry("topics.models", TOPIC_ALLOWED),
            Map.entry("channels", "a list of 1..32 different names, each a letter or _ then up to 63 letters, digits, _ . -"),
            Map.entry("horizon", "1..100"),
            Map.entry("features", "a mapping with timeOfDay, dayOfWeek, defaultCadenceSeconds, seasons"),
            Map.entry("features.seasons", SEASONS_ALLOWED),
            Map.entry("features.timeOfDay", "true, false"),
            Map.entry("features.dayOfWeek", "true, false"),
            Map.entry("features.defaultCadenceSeconds", "(0, 604800]"),
            Map.entry("model", "a mapping with cell, layers, path, directory, replayWindow"),
            Map.entry("model.cell", "lstm, rnn"),
            Map.entry("model.layers", "a list of 1..4 hidden sizes, each 1..1024"),
            Map.entry("model.path", "the path of the bootstrap model zip"),
            Map.entry("model.directory", "a directory path"),
            Map.entry("model.replayWindow", "0..1024"),
            Map.entry("limits", "a mapping with maxPayloadBytes, maxAbsValue, maxSensorIdLength"),
            Map.entry("limits.maxPayloadBytes", "64..1048576"),
            Map.entry("limits.maxAbsValue", "(0, 1e300]"),
            Map.entry("limits.maxSensorIdLength", "1..4096"),
            Map.entry("training", "a mapping of training settings"),
            Map.entry("training.enabled", "true, false"),
            Map.entry("training.everySamples", ">= 1"),
            Map.entry("training.everySeconds", "0..31536000 (0: by count only)"),
            Map.entry("training.maxKeys", "1..100000"),
            Map.entry("training.stepsPerKey", "2 x windowLength + horizon .. 100000"),
            Map.entry("training.windowLength", "2..10000"),
            Map.entry("training.tbpttLength", "1..windowLength"),
            Map.entry("training.batchSize", "1..4096"),
            Map.entry("training.epochs", "1..1000"),
            Map.entry("training.optimizer", "adam, sgd, rmsprop"),
            Map.entry("training.learningRate", "(0, 10]"),
            Map.entry("training.clipThreshold", "> 0, finite"),
            Map.entry("training.tolerance", "0..1"),
            Map.entry("training.seed", "an integer"),
            Map.entry("training.intakeCapacity", "1..10000000"),
            Map.entry("training.cpuShare", "(0, 1]"),
            Map.entry("metrics", "a mapping with host, port, sensors, window"),
            Map.entry("metrics.host", "a host name or address"),
            Map.entry("metrics.port", "0..65535"),
            Map.entry("metrics.sensors", "a list of at most 50 sensor ids"),
            Map.entry("metrics.window", "10..1000000"));
    /** Keys bound to a double: any whole number written there is a valid value, however large. */
    private static final Set<String> DECIMAL_KEYS = Set.of("features.defaultCadenceSeconds", "limits.maxAbsValue",
            "training.everySeconds", "training.learningRate", "training.clipThreshold", "training.tolerance",
            "training.cpuShare");
    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    static {
        // "dayOfWeek: 2" must be refused, not read as true.
        YAML.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    }

    private PipelineConfigLoader() {
    }

    /** Loads and validates a pipeline file. */
    public static PipelineConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("--config: no such file: " + file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException("--config: cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(file.toString(), text);
    }

    /** Loads and validates pipeline YAML text (used by tests and the packaged default). */
    public static PipelineConfig parse(String yaml) {
        return parse("configuration", yaml);
    }

    private static PipelineConfig parse(String source, String yaml) {
        try {
            // An empty document means "all defaults", as an empty file does.
            return validate(read(YAML.readTree(yaml.isBlank() ? "{}" : yaml)));
        } catch (IOException e) {
            throw translate(source, yaml, e);
        }
    }

    /**
     * Binds the document after refusing what binding would turn into a failure that does not name the key: a
     * document that is not a mapping, null entries in lists and in the kafka mapping (a stray "-" or a key
     * without a value), and whole numbers beyond the range of the key's type.
     */
    private static PipelineConfig read(JsonNode root) throws IOException {
        if (root == null || root.isMissingNode() || root.isNull()) {
            return YAML.treeToValue(YAML.createObjectNode(), PipelineConfig.class);
        }
        if (!root.isObject()) {
            throw new ConfigException("the configuration must be a mapping of keys (name, kafka, topics, channels,"
                    + " horizon, features, model, limits, training, metrics), got " + root.getNodeType());
        }
        rejectUnbindable(root, "");
        return YAML.treeToValue(root, PipelineConfig.class);
    }

    private static void rejectUnbindable(JsonNode node, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isNull()) {
                    throw problem(path, "entry [" + i + "] is empty");
                }
                rejectUnbindable(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isIntegralNumber() && !path.startsWith("kafka.") && !DECIMAL_KEYS.contains(path)) {
            // Checked here because binding reports an int overflow without saying which key holds it.
            boolean fits = path.equals("training.seed") ? node.canConvertToLong() : node.canConvertToInt();
            if (!fits) {
                throw problem(path, node.asText() + " is out of range");
            }
        } else if (node.isObject()) {
            for (var field : node.properties()) {
                String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (path.equals("kafka") && field.getValue().isNull()) {
                    throw new ConfigException(key + ": has no value; allowed: the value of the Kafka client property");
                }
                rejectUnbindable(field.getValue(), key);
            }
        }
    }

    private static ConfigException translate(String source, String yaml, IOException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String allowed = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return new ConfigException(source + ": unknown key '" + path(u) + "'; allowed here: " + allowed, e);
        }
        if (e instanceof InvalidFormatException f) {
            return new ConfigException(source + ": key '" + path(f) + "' has value '" + f.getValue()
                    + "', which is not a " + typeName(f.getTargetType()) + allowedFor(path(f)), e);
        }
        if (e instanceof MismatchedInputException m) {
            return new ConfigException(source + ": key '" + path(m) + "' has the wrong type (expected "
                    + (m.getTargetType() == null ? "another type" : typeName(m.getTargetType())) + ")"
                    + allowedFor(path(m)), e);
        }
        if (e instanceof JsonMappingException m && m.getCause() instanceof ConfigException c) {
            return new ConfigException(source + ": " + c.getMessage(), e);
        }
        if (e instanceof JsonProcessingException p) {
            // Jackson appends a source excerpt on further lines; the first line says what is wrong. A reading
            // error has no key path, so the offending line is quoted instead: it shows the key.
            return new ConfigException(source + ": cannot read YAML: " + p.getOriginalMessage()
                    + offendingLine(yaml, p.getLocation()), e);
        }
        return new ConfigException(source + ": cannot read YAML: " + e.getMessage(), e);
    }

    private static String offendingLine(String yaml, JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        String[] lines = yaml.split("\\R", -1);
        int n = location.getLineNr();
        if (n > lines.length) {
            return " (at line " + n + ")";
        }
        String line = lines[n - 1].strip();
        return " (line " + n + ": '" + (line.length() > 120 ? line.substring(0, 120) + "..." : line) + "')";
    }

    private static String typeName(Class<?> type) {
        return switch (type.getSimpleName()) {
            case "int", "Integer", "long", "Long" -> "whole number";
            case "double", "Double" -> "number";
            case "boolean", "Boolean" -> "boolean";
            case "String" -> "text";
            default -> type.getSimpleName().endsWith("Settings") || type.getSimpleName().equals("TopicNames")
                    || type.getSimpleName().startsWith("Map") ? "mapping"
                    : type.getSimpleName().startsWith("List") ? "list" : type.getSimpleName();
        };
    }

    /** "; allowed: ..." for {@code key} (list indexes ignored), or nothing for keys with no fixed rule. */
    private static String allowedFor(String key) {
        String allowed = ALLOWED.get(key.replaceAll("\\[\\d+]", ""));
        return allowed == null ? "" : "; allowed: " + allowed;
    }

    private static ConfigException problem(String key, String problem) {
        return new ConfigException(key + ": " + problem + (problem.contains("allowed") ? "" : allowedFor(key)));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** Range and consistency checks that types alone cannot express. */
    public static PipelineConfig validate(PipelineConfig c) {
        require(!c.name().isBlank() && c.name().matches("[A-Za-z0-9._-]{1,100}"), "name",
                "'" + c.name() + "' is not a valid name");
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
            require(!entry.get(1).equals(".") && !entry.get(1).equals(".."), entry.get(0),
                    "'" + entry.get(1) + "' is reserved by Kafka");
        }
        require(new HashSet<>(List.of(t.events(), t.forecasts(), t.deadLetter(), t.models())).size() == 4, "topics",
                "events, forecasts, deadLetter and models must be four different topics");
        require(c.features().defaultCadenceSeconds() > 0 && c.features().defaultCadenceSeconds() <= 86_400 * 7,
                "features.defaultCadenceSeconds", c.features().defaultCadenceSeconds() + " is out of range; allowed: (0, 604800]");
        List<java.time.Duration> seasons = c.features().seasons();
        require(seasons.size() <= 4 && new HashSet<>(seasons).size() == seasons.size(), "features.seasons",
                seasons + " is not allowed; allowed: " + SEASONS_ALLOWED);
        for (java.time.Duration season : seasons) {
            require(season.compareTo(java.time.Duration.ofHours(1)) >= 0 && season.compareTo(java.time.Duration.ofDays(366)) <= 0,
                    "features.seasons", season + " is out of range; allowed: " + SEASONS_ALLOWED);
        }
        ModelSettings m = c.model();
        require(!m.layers().isEmpty() && m.layers().size() <= 4, "model.layers",
                "needs 1..4 stacked layers, got " + m.layers().size());
        for (Integer h : m.layers()) {
            require(h != null && h >= 1 && h <= 1024, "model.layers", h + " is out of range; allowed: 1..1024");
        }
        require(m.replayWindow() >= 0 && m.replayWindow() <= 1024, "model.replayWindow",
                m.replayWindow() + " is out of range; allowed: 0..1024");
        require(!m.path().isBlank(), "model.path", "must name the bootstrap model file");
        require(!m.directory().isBlank(), "model.directory", "is empty");
        LimitSettings l = c.limits();
        require(l.maxPayloadBytes() >= 64 && l.maxPayloadBytes() <= 1_048_576, "limits.maxPayloadBytes",
                l.maxPayloadBytes() + " is out of range; allowed: 64..1048576");
        require(l.maxAbsValue() > 0 && l.maxAbsValue() <= 1e300, "limits.maxAbsValue",
                l.maxAbsValue() + " is out of range; allowed: (0, 1e300]");
        require(l.maxSensorIdLength() >= 1 && l.maxSensorIdLength() <= 4096, "limits.maxSensorIdLength",
                l.maxSensorIdLength() + " is out of range; allowed: 1..4096");
        TrainingSettings t2 = c.training();
        require(t2.everySamples() >= 1, "training.everySamples", t2.everySamples() + " is out of range; allowed: >= 1");
        require(t2.everySeconds() >= 0 && t2.everySeconds() <= 31_536_000, "training.everySeconds",
                t2.everySeconds() + " is out of range");
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
        require(t2.cpuShare() > 0 && t2.cpuShare() <= 1, "training.cpuShare",
                t2.cpuShare() + " is out of range; allowed: (0, 1]");
        MetricsSettings m2 = c.metrics();
        require(!m2.host().isBlank(), "metrics.host", "is empty");
        require(m2.port() >= 0 && m2.port() <= 65_535, "metrics.port", m2.port() + " is out of range; allowed: 0..65535");
        require(m2.sensors().size() <= 50, "metrics.sensors", "lists " + m2.sensors().size()
                + " sensors; allowed: at most 50 (per-sensor series must stay few)");
        require(m2.window() >= 10 && m2.window() <= 1_000_000, "metrics.window", m2.window() + " is out of range; allowed: 10..1000000");
        for (var e : c.kafka().entrySet()) {
            require(e.getValue() != null && !e.getValue().isBlank(), "kafka." + e.getKey(),
                    "has no value; allowed: the value of the Kafka client property");
        }
        return c;
    }

    private static void require(boolean ok, String key, String problem) {
        if (!ok) {
            throw problem(key, problem);
        }
    }
}
