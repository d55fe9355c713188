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
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException("the configuration must be a mapping of keys (" + String.join(", ",
                    ConfigKeys.all().stream().filter(k -> !k.name().contains(".")).map(ConfigKeys.Key::name).toList())
                    + "), got " + root.getNodeType());
        }
        rejectUnbindable(root, "");
        fillDefaults((ObjectNode) root);
        return YAML.treeToValue(root, PipelineConfig.class);
    }

    /**
     * Writes each declared key's default where the file leaves it out (or leaves it empty), so the settings
     * records hold no defaults of their own. A section given as something other than a mapping is left for
     * binding to refuse, naming it.
     */
    private static void fillDefaults(ObjectNode root) {
        for (ConfigKeys.Key key : ConfigKeys.values()) {
            ObjectNode parent = root;
            String[] path = key.name().split("\\.");
            for (int i = 0; i < path.length - 1 && parent != null; i++) {
                JsonNode child = parent.get(path[i]);
                if (child == null || child.isNull()) {
                    parent = parent.putObject(path[i]);
                } else {
                    parent = child.isObject() ? (ObjectNode) child : null;
                }
            }
            String leaf = path[path.length - 1];
            if (parent != null && (!parent.has(leaf) || parent.get(leaf).isNull())) {
                parent.set(leaf, YAML.valueToTree(key.def()));
            }
        }
    }

    /** The declared defaults of one section, as its settings record (the records' DEFAULTS constants). */
    static <T> T defaults(String section, Class<T> type) {
        ObjectNode root = YAML.createObjectNode();
        fillDefaults(root);
        try {
            return YAML.treeToValue(root.get(section), type);
        } catch (IOException e) {
            throw new IllegalStateException("the declared defaults of " + section + " do not bind", e);
        }
    }

    private static void rejectUnbindable(JsonNode node, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.get(i).isNull()) {
                    throw problem(path, "entry [" + i + "] is empty");
                }
                rejectUnbindable(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isIntegralNumber() && !path.startsWith("kafka.") && !isDecimal(path)) {
            // Checked here because binding reports an int overflow without saying which key holds it.
            boolean fits = isLong(path) ? node.canConvertToLong() : node.canConvertToInt();
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

    private static boolean isDecimal(String path) {
        String key = path.replaceAll("\\[\\d+]$", "");
        return ConfigKeys.find(key).map(k -> k.type() == ConfigKeys.Type.DOUBLE || k.type() == ConfigKeys.Type.DOUBLE_LIST)
                .orElse(false);
    }

    private static boolean isLong(String path) {
        return ConfigKeys.find(path).map(k -> k.type() == ConfigKeys.Type.LONG).orElse(false);
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
        return ConfigKeys.allowed(key.replaceAll("\\[\\d+]", "")).map(a -> "; allowed: " + a).orElse("");
    }

    private static ConfigException problem(String key, String problem) {
        return new ConfigException(key + ": " + problem + (problem.contains("allowed") ? "" : allowedFor(key)));
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /**
     * Checks every declared key's value against its declaration, then what involves several keys: the six
     * topics must differ and no Kafka property may be empty.
     */
    public static PipelineConfig validate(PipelineConfig c) {
        for (ConfigKeys.Key key : ConfigKeys.values()) {
            Object value = key.value().apply(c);
            if (!key.validator().accepts().test(value, c)) {
                throw problem(key.name(), key.validator().problem().apply(value, c));
            }
        }
        TopicNames t = c.topics();
        require(new HashSet<>(List.of(t.events(), t.forecasts(), t.deadLetter(), t.models(), t.anomalies(),
                        t.control())).size() == 6,
                "topics", "events, forecasts, deadLetter, models, anomalies and control must be six different topics");
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
