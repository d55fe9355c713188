package io.sensorcast.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Every key of a pipeline file, declared once: name, type, default, what it allows and a one-line doc, in
 * the manner of Kafka's {@code ConfigDef.define(...)} chains. From this table come the defaults the loader
 * fills in, the validation and its error text ({@code horizon: 0 is out of range; allowed: 1..100}), the
 * configuration reference in docs/configuration.md (a test compares them) and {@code sensorcast config
 * --describe}.
 *
 * <p><b>Adding a key</b> is one {@code define} line here plus the component of the settings record that
 * holds it (e.g. {@code training.patience}: a line in the training block below and an {@code int patience}
 * component of {@link TrainingSettings}). The loader then fills its default in, checks its type when
 * binding and its range with the validator, and names the key in every error; regenerate the reference
 * table with {@code sensorcast config --describe} (ConfigReferenceTest prints the expected table when it
 * differs).
 */
public final class ConfigKeys {

    /** The value types a key may have; binding to the settings records checks them. */
    public enum Type {
        BOOLEAN("boolean"), INT("int"), LONG("long"), DOUBLE("double"), STRING("string"),
        STRING_LIST("list of strings"), INT_LIST("list of ints"), DOUBLE_LIST("list of numbers"), MAP("mapping"), SECTION("mapping");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * What a key accepts: the text quoted in every error about it, and the check. The check sees the whole
     * configuration, for the few keys whose range depends on another (training.tbpttLength).
     */
    public record Validator(String allowed, BiPredicate<Object, PipelineConfig> accepts,
                            BiFunction<Object, PipelineConfig, String> problem) {

        /** Any value of the key's type. */
        static Validator any(String allowed) {
            return new Validator(allowed, (v, c) -> true, (v, c) -> "");
        }

        static Validator between(long min, long max) {
            return range(min + ".." + max, v -> ((Number) v).longValue() >= min && ((Number) v).longValue() <= max);
        }

        static Validator atLeast(long min) {
            return range(">= " + min, v -> ((Number) v).longValue() >= min);
        }

        /** {@code (min, max]}: above {@code min}, at most {@code max}. */
        static Validator aboveUpTo(double min, double max, String allowed) {
            return range(allowed, v -> ((Number) v).doubleValue() > min && ((Number) v).doubleValue() <= max);
        }

        static Validator closed(double min, double max, String allowed) {
            return range(allowed, v -> ((Number) v).doubleValue() >= min && ((Number) v).doubleValue() <= max);
        }

        static Validator range(String allowed, Predicate<Object> inRange) {
            return new Validator(allowed, (v, c) -> inRange.test(v), (v, c) -> v + " is out of range");
        }

        static Validator oneOf(String what, String... values) {
            List<String> allowed = List.of(values);
            return new Validator(String.join(", ", values),
                    (v, c) -> allowed.contains(v.toString().toLowerCase(Locale.ROOT)),
                    (v, c) -> "'" + v + "' is not " + what);
        }

        static Validator matching(Pattern pattern, String allowed, String what) {
            return new Validator(allowed, (v, c) -> pattern.matcher(v.toString()).matches(),
                    (v, c) -> "'" + v + "' is not " + what);
        }

        static Validator nonBlank(String allowed, String problem) {
            return new Validator(allowed, (v, c) -> !v.toString().isBlank(), (v, c) -> problem);
        }
    }

    /**
     * One key.
     *
     * @param name      dotted path in the pipeline file
     * @param value     where the bound configuration holds it (null for sections, which hold keys)
     * @param def       the default, as the settings record holds it (null: a section, or no default)
     */
    public record Key(String name, Type type, Object def, Validator validator, String doc,
                      Function<PipelineConfig, Object> value) {

        /** The default as the reference table and {@code --describe} show it. */
        public String defaultText() {
            if (def == null) {
                return "";
            }
            if (def instanceof List<?> list) {
                return list.stream().map(ConfigKeys::format).toList().toString().replace(" ", "");
            }
            if (def instanceof Map<?, ?> map) {
                return map.isEmpty() ? "{}" : map.toString();
            }
            return format(def);
        }
    }

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9._-]{0,200}");
    /** The environment variable an empty {@code instanceId} falls back to (the Helm chart sets it to the pod name). */
    public static final String INSTANCE_ID_ENV = "SENSORCAST_INSTANCE_ID";
    /** The environment variable an empty {@code queries.advertisedServer} falls back to (Helm and docker-compose set it). */
    public static final String ADVERTISED_SERVER_ENV = "SENSORCAST_ADVERTISED_SERVER";
    /** host:port as Kafka Streams' {@code application.server} takes it: a host name or IPv4 address, and a port. */
    public static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]{0,252})?:[0-9]{1,5}");
    private static final Pattern CHANNEL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    private static final String TOPIC_ALLOWED = "a Kafka topic name of 1-249 characters from a-z A-Z 0-9 . _ -";

    static final String IDLE_TTL_ALLOWED = "0 (keep forever), or an ISO-8601 duration of PT1S..P36500D (e.g. P30D, PT12H)";
    static final String EVICTION_INTERVAL_ALLOWED = "an ISO-8601 duration of PT0.1S..PT1H (e.g. PT10S)";

    static final String SEASONS_ALLOWED = "a list of 0..4 different ISO-8601 durations, each PT1H..P366D (e.g. [P1D, P7D])";

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        define("name", Type.STRING, "sensorcast",
                Validator.matching(Pattern.compile("[A-Za-z0-9._-]{1,100}"), "1-100 letters, digits, '.', '_' or '-'",
                        "a valid name"),
                "model name (key of model records, prefix of model files), default application.id",
                PipelineConfig::name);
        define("kafka", Type.MAP, Map.of(), Validator.any("a mapping of Kafka client property names to values"),
                "passed unchanged to every Kafka client: any client or Streams property, security settings included",
                PipelineConfig::kafka);
        define("instanceId", Type.STRING, "",
                new Validator("empty, or 1-200 letters, digits, '.', '_' or '-'",
                        (v, c) -> INSTANCE_ID.matcher(v.toString()).matches(),
                        (v, c) -> "'" + v + "' is not a valid instance id"),
                "stable id of this instance: Kafka static membership (group.instance.id), so a restart takes its"
                        + " partitions back at once; empty: $" + INSTANCE_ID_ENV + " if set, else dynamic membership",
                PipelineConfig::instanceId);

        section("topics", "six different topic names");
        define("topics.events", Type.STRING, "sensor-events", topic(), "topic the devices write events to",
                c -> c.topics().events());
        define("topics.forecasts", Type.STRING, "sensor-forecasts", topic(), "topic of the forecasts, one per accepted event",
                c -> c.topics().forecasts());
        define("topics.deadLetter", Type.STRING, "sensor-events.dlq", topic(),
                "topic of rejected events, original bytes and reason headers", c -> c.topics().deadLetter());
        define("topics.models", Type.STRING, "forecast-models", topic(), "compacted topic of accepted models",
                c -> c.topics().models());
        define("topics.anomalies", Type.STRING, "sensor-anomalies", topic(),
                "topic of anomaly scores (every scored event or only the flagged ones: anomaly.publish)",
                c -> c.topics().anomalies());
        define("topics.control", Type.STRING, "sensor-control", topic(),
                "topic of per-sensor reset and forget commands, keyed by sensor id; as many partitions as topics.events",
                c -> c.topics().control());

        define("channels", Type.STRING_LIST, List.of("value"),
                new Validator("a list of 1..32 different names, each a letter or _ then up to 63 letters, digits, _ . -",
                        (v, c) -> channelProblem(c.channels()).isEmpty(), (v, c) -> channelProblem(listOf(v))),
                "value channels of each event, in input order", PipelineConfig::channels);
        define("horizon", Type.INT, 5, Validator.between(1, 100), "K, future values per forecast and channel",
                PipelineConfig::horizon);

        section("features", "a mapping with timeOfDay, dayOfWeek, defaultCadenceSeconds, seasons, seasonalSmoothing,"
                + " normalisationWeight");
        define("features.timeOfDay", Type.BOOLEAN, true, Validator.any("true, false"),
                "add sin/cos of the UTC time of day to the inputs", c -> c.features().timeOfDay());
        define("features.dayOfWeek", Type.BOOLEAN, true, Validator.any("true, false"),
                "add sin/cos of the UTC day of week to the inputs", c -> c.features().dayOfWeek());
        define("features.defaultCadenceSeconds", Type.DOUBLE, 300.0,
                Validator.aboveUpTo(0, 604_800, "(0, 604800]"),
                "forecast spacing before a sensor's cadence is observed", c -> c.features().defaultCadenceSeconds());
        // Measured on the NAB series (BENCHMARKS.md): a day and a week forecast as well as a day alone there, and
        // sensors with months of history and weekday/weekend patterns need the week.
        define("features.seasons", Type.STRING_LIST, List.of("P1D", "P7D"), new Validator(SEASONS_ALLOWED,
                        (v, c) -> seasonsProblem(listOf(v)).isEmpty(), (v, c) -> seasonsProblem(listOf(v))),
                "seasonal context: per season, how the sensor's cycle moved from now to each forecast target, a season ago",
                c -> c.features().seasons());
        define("features.seasonalSmoothing", Type.DOUBLE, 0.5, Validator.aboveUpTo(0, 1, "(0, 1]"),
                "weight of the newest cycle in a seasonal profile's bucket (1: the last cycle only)",
                c -> c.features().seasonalSmoothing());
        // Measured: 0.02 (a half-life of about 35 events) against 0.002 on the NAB series (BENCHMARKS.md).
        define("features.normalisationWeight", Type.DOUBLE, 0.02, Validator.aboveUpTo(0, 1, "(0, 1]"),
                "weight of a new value in a sensor's mean and variance once 1/weight values were seen",
                c -> c.features().normalisationWeight());

        section("model", "a mapping with cell, layers, path, directory, replayWindow, calibrationWindow");
        define("model.cell", Type.STRING, "lstm", Validator.oneOf("a cell", "lstm", "gru", "rnn"),
                "recurrent cell: lstm, gru (hidden state only, 3/4 of LSTM's weights) or rnn (vanilla tanh RNN);"
                        + " bidirectional layers need future events",
                c -> c.model().cell().name().toLowerCase(Locale.ROOT));
        define("model.layers", Type.INT_LIST, List.of(32), new Validator("a list of 1..4 hidden sizes, each 1..1024",
                        (v, c) -> layersProblem(c.model().layers()).isEmpty(), (v, c) -> layersProblem(listOf(v))),
                "hidden size of each stacked layer, input side first", c -> c.model().layers());
        define("model.path", Type.STRING, "models/bootstrap.zip",
                Validator.nonBlank("the path of the bootstrap model zip", "must name the bootstrap model file"),
                "bootstrap model (its metadata beside it as .json)", c -> c.model().path());
        define("model.directory", Type.STRING, "models", Validator.nonBlank("a directory path", "is empty"),
                "where accepted models are written and looked for first on start", c -> c.model().directory());
        define("model.replayWindow", Type.INT, 16, Validator.between(0, 1024),
                "inputs kept per sensor to rebuild its state after a model swap", c -> c.model().replayWindow());
        define("model.calibrationWindow", Type.INT, 50, Validator.between(0, 1_000_000),
                "events over which each sensor weighs how much of the network's forecast change came true, per "
                        + "horizon; the forecast is the last value plus that share of the change (0: unscaled)",
                c -> c.model().calibrationWindow());

        section("forecast", "a mapping with quantiles, intervalWindow, intervalAdaptation");
        define("forecast.quantiles", Type.DOUBLE_LIST, List.of(0.1, 0.5, 0.9), new Validator(
                        "a list of 1..9 different levels in (0, 1), ascending (e.g. [0.1, 0.5, 0.9])",
                        (v, c) -> quantilesProblem(listOf(v)).isEmpty(), (v, c) -> quantilesProblem(listOf(v))),
                "quantiles published for every horizon and channel beside the point forecast",
                c -> c.forecast().quantiles());
        // Measured on the NAB series (BENCHMARKS.md): coverage of the 80 % interval and WQL.
        define("forecast.intervalWindow", Type.INT, 100, Validator.between(2, 1_000_000),
                "events over which each sensor learns the spread of its forecast errors, per horizon and channel",
                c -> c.forecast().intervalWindow());
        define("forecast.intervalAdaptation", Type.DOUBLE, 0.02, Validator.closed(0, 1, "0..1"),
                "step by which each sensor widens its intervals after a miss of the 80 % interval and narrows them"
                        + " after a hit, so its coverage tracks 80 % (0: no adaptation)",
                c -> c.forecast().intervalAdaptation());

        section("anomaly", "a mapping with threshold, publish, longWindow, warmup");
        define("anomaly.threshold", Type.DOUBLE, 0.5, Validator.aboveUpTo(0, 1, "(0, 1]"),
                "anomaly score at which an event is flagged (0.5: a surprise the sensor's history makes about 1e-5 likely)",
                c -> c.anomaly().threshold());
        define("anomaly.publish", Type.STRING, "flagged", Validator.oneOf("a choice", "flagged", "all", "none"),
                "what goes to topics.anomalies: flagged events, every scored event, or nothing",
                c -> c.anomaly().publish());
        define("anomaly.longWindow", Type.INT, 1000, Validator.between(10, 10_000_000),
                "events over which each sensor learns how often and how far its surprise leaves the 80 % band",
                c -> c.anomaly().longWindow());
        define("anomaly.warmup", Type.INT, 100, Validator.between(0, 10_000_000),
                "events a sensor must have seen before it is scored (score 0 until then)", c -> c.anomaly().warmup());

        section("limits", "a mapping with maxPayloadBytes, maxAbsValue, maxSensorIdLength, maxFutureSeconds");
        define("limits.maxPayloadBytes", Type.INT, 4096, Validator.between(64, 1_048_576),
                "largest accepted event value in bytes", c -> c.limits().maxPayloadBytes());
        define("limits.maxAbsValue", Type.DOUBLE, 1e12, Validator.aboveUpTo(0, 1e300, "(0, 1e300]"),
                "largest accepted magnitude of a value", c -> c.limits().maxAbsValue());
        define("limits.maxSensorIdLength", Type.INT, 256, Validator.between(1, 4096),
                "longest accepted sensor id", c -> c.limits().maxSensorIdLength());
        define("limits.maxFutureSeconds", Type.LONG, 86_400L, Validator.between(1, 315_576_000_000L),
                "how far an event's ts may be ahead of the service's wall clock; further is FUTURE_TIMESTAMP",
                c -> c.limits().maxFutureSeconds());

        section("state", "a mapping with idleTtl, evictionInterval, evictionBatch");
        define("state.idleTtl", Type.STRING, "P30D", new Validator(IDLE_TTL_ALLOWED,
                        (v, c) -> idleTtlProblem(v.toString()).isEmpty(), (v, c) -> idleTtlProblem(v.toString())),
                "a sensor without an accepted event for this long, in its partition's event time, is forgotten"
                        + " (state, changelog, redelivery memory); 0 keeps every sensor",
                c -> c.state().idleTtl());
        define("state.evictionInterval", Type.STRING, "PT10S", new Validator(EVICTION_INTERVAL_ALLOWED,
                        (v, c) -> evictionIntervalProblem(v.toString()).isEmpty(),
                        (v, c) -> evictionIntervalProblem(v.toString())),
                "wall-clock time between two slices of the idle-sensor sweep, per stream task",
                c -> c.state().evictionInterval());
        define("state.evictionBatch", Type.INT, 1000, Validator.between(1, 1_000_000),
                "sensors one slice of the idle-sensor sweep examines at most, per stream task",
                c -> c.state().evictionBatch());

        section("training", "a mapping of training settings");
        define("training.enabled", Type.BOOLEAN, true, Validator.any("true, false"),
                "train online (roles all and train)", c -> c.training().enabled());
        define("training.everySamples", Type.INT, 256, Validator.atLeast(1),
                "a round after at least this many new steps (and retrainShare of those held)...",
                c -> c.training().everySamples());
        define("training.everySeconds", Type.DOUBLE, 120.0,
                Validator.closed(0, 31_536_000, "0..31536000 (0: by count only)"),
                "...or after this many seconds with at least one new step", c -> c.training().everySeconds());
        define("training.maxKeys", Type.INT, 256, Validator.between(1, 100_000),
                "sensors sampled for training (a uniform sample of the keys seen)", c -> c.training().maxKeys());
        define("training.stepsPerKey", Type.INT, 8192, new Validator("2 x windowLength + horizon .. 100000",
                        (v, c) -> (int) v >= 2 * c.training().windowLength() + c.horizon() && (int) v <= 100_000,
                        (v, c) -> v + " is out of range; allowed: 2 x windowLength + horizon ("
                                + (2 * c.training().windowLength() + c.horizon())
                                + ") .. 100000, so each sensor has a training and a held-out window"),
                "most recent steps kept per sampled sensor (see sampleBudget)", c -> c.training().stepsPerKey());
        define("training.windowLength", Type.INT, 64, Validator.between(2, 10_000),
                "steps per training sequence", c -> c.training().windowLength());
        define("training.tbpttLength", Type.INT, 64, new Validator("1..windowLength",
                        (v, c) -> (int) v >= 1 && (int) v <= c.training().windowLength(),
                        (v, c) -> v + " is out of range; allowed: 1..windowLength (" + c.training().windowLength() + ")"),
                "truncated BPTT length, forward and backward", c -> c.training().tbpttLength());
        define("training.batchSize", Type.INT, 32, Validator.between(1, 4096),
                "sequences per mini-batch", c -> c.training().batchSize());
        // Measured on the NAB series: 20 epochs with patience 5 against 10 with patience 3, affordable since the fit is
        // hand-written (BENCHMARKS.md, "Trainer defaults with the faster fit").
        define("training.epochs", Type.INT, 20, Validator.between(1, 1000),
                "most passes over the sample per round (early stopping may end it sooner)", c -> c.training().epochs());
        define("training.optimizer", Type.STRING, "adam", Validator.oneOf("an optimiser", "adam", "sgd", "rmsprop"),
                "the optimiser", c -> c.training().optimizer());
        define("training.learningRate", Type.DOUBLE, 1e-3, Validator.aboveUpTo(0, 10, "(0, 10]"),
                "step size", c -> c.training().learningRate());
        define("training.clipThreshold", Type.DOUBLE, 20.0, new Validator("> 0, finite",
                        (v, c) -> (double) v > 0 && Double.isFinite((double) v), (v, c) -> v + " is out of range"),
                "per-layer gradient L2 norm limit (ClipL2PerLayer)", c -> c.training().clipThreshold());
        define("training.tolerance", Type.DOUBLE, 0.0, Validator.closed(0, 1, "0..1"),
                "publish if held-out error <= serving error x (1 + tolerance)", c -> c.training().tolerance());
        define("training.seed", Type.LONG, 42L, Validator.any("an integer"),
                "seed of sampling and fitting", c -> c.training().seed());
        define("training.intakeCapacity", Type.INT, 65_536, Validator.between(1, 10_000_000),
                "steps that may wait for the trainer before new ones are dropped", c -> c.training().intakeCapacity());
        // Measured: BENCHMARKS.md, "Training's cost to serving".
        define("training.cpuShare", Type.DOUBLE, 0.1, Validator.aboveUpTo(0, 1, "(0, 1]"),
                "most of wall time the service's trainer is busy (replay and role train run unpaced)",
                c -> c.training().cpuShare());
        define("training.loss", Type.STRING, "mae", Validator.oneOf("a loss", "mae", "mse", "laplace"),
                "mae: forecast the median (robust to spikes; what MAE scores); mse: the mean; laplace: the median and"
                        + " a Laplace scale per output (a distribution head, twice as wide; docs/anomalies.md)",
                c -> c.training().loss());
        define("training.windowStride", Type.INT, 16, Validator.between(1, 10_000),
                "a training window starts every this many steps (overlapping windows; at most windowLength)",
                c -> c.training().windowStride());
        define("training.heldOutEvery", Type.INT, 4, Validator.between(1, 1_000_000),
                "every n-th non-overlapping window, newest first, is held out to judge the candidate",
                c -> c.training().heldOutEvery());
        define("training.patience", Type.INT, 5, Validator.between(1, 1000),
                "epochs without a better held-out error before a round stops (early stopping)",
                c -> c.training().patience());
        define("training.retrainShare", Type.DOUBLE, 0.5, Validator.closed(0, 100, "0..100"),
                "a round also waits until new steps are this share of the steps held (often while histories are short)",
                c -> c.training().retrainShare());
        define("training.sampleBudget", Type.INT, 65_536, Validator.between(1, 10_000_000),
                "steps kept over all sampled sensors: few sensors keep long histories, many keep shorter ones",
                c -> c.training().sampleBudget());
        // Measured: BENCHMARKS.md, "Trainer fit against PyTorch".
        define("training.engine", Type.STRING, "java", Validator.oneOf("an engine", "java", "dl4j"),
                "java: hand-written truncated BPTT, DL4J's fit to 1e-4 and several times faster; dl4j: DL4J's own fit",
                c -> c.training().engine());

        section("metrics", "a mapping with host, port, sensors, window");
        define("metrics.host", Type.STRING, "0.0.0.0", Validator.nonBlank("a host name or address", "is empty"),
                "address of the /metrics, /health/live, /health/ready and /sensors (queries) endpoint", c -> c.metrics().host());
        define("metrics.port", Type.INT, 8080, Validator.between(0, 65_535),
                "port of that endpoint (0: any free port)", c -> c.metrics().port());
        define("metrics.sensors", Type.STRING_LIST, List.of(), new Validator("a list of at most 50 sensor ids",
                        (v, c) -> c.metrics().sensors().size() <= 50,
                        (v, c) -> "lists " + ((List<?>) v).size() + " sensors; allowed: at most 50 (per-sensor series must stay few)"),
                "sensors whose latest actual and forecast values are exported per sensor", c -> c.metrics().sensors());
        define("metrics.window", Type.INT, 5000, Validator.between(10, 1_000_000),
                "scored forecasts in the sliding window of the online error gauges", c -> c.metrics().window());

        section("queries", "a mapping with advertisedServer, timeoutMs, maxPageSize, threads");
        define("queries.advertisedServer", Type.STRING, "", new Validator("empty, or host:port (port 1..65535)",
                        (v, c) -> v.toString().isEmpty() || isHostPort(v.toString()),
                        (v, c) -> "'" + v + "' is not host:port"),
                "where the other instances reach this one's /sensors API (Kafka Streams application.server); empty: $"
                        + ADVERTISED_SERVER_ENV + ", else kafka.application.server, else this host's name and metrics.port",
                c -> c.queries().advertisedServer());
        define("queries.timeoutMs", Type.INT, 2000, Validator.between(50, 60_000),
                "longest a /sensors request may take, calls forwarded to other instances included (then 503/504)",
                c -> c.queries().timeoutMs());
        define("queries.maxPageSize", Type.INT, 1000, Validator.between(1, 10_000),
                "most sensors one page of GET /sensors may hold (the limit parameter's maximum)",
                c -> c.queries().maxPageSize());
        define("queries.threads", Type.INT, 4, Validator.between(1, 64),
                "/sensors requests answered at the same time; up to 64 per thread wait, more get 503",
                c -> c.queries().threads());
    }

    /** Whether {@code text} is host:port with a port in 1..65535. */
    public static boolean isHostPort(String text) {
        if (!HOST_PORT.matcher(text).matches()) {
            return false;
        }
        int port = Integer.parseInt(text.substring(text.lastIndexOf(':') + 1));
        return port >= 1 && port <= 65_535;
    }

    private ConfigKeys() {
    }

    private static void define(String name, Type type, Object def, Validator validator, String doc,
                               Function<PipelineConfig, Object> value) {
        if (KEYS.putIfAbsent(name, new Key(name, type, def, validator, doc, value)) != null) {
            throw new IllegalStateException("configuration key declared twice: " + name);
        }
    }

    private static void section(String name, String allowed) {
        define(name, Type.SECTION, null, Validator.any(allowed), "", null);
    }

    private static String seasonsProblem(List<?> seasons) {
        if (seasons.size() > 4) {
            return "lists " + seasons.size() + " seasons";
        }
        Set<Duration> seen = new HashSet<>();
        for (Object season : seasons) {
            Duration d;
            try {
                d = Duration.parse(String.valueOf(season));
            } catch (RuntimeException e) {
                return "'" + season + "' is not an ISO-8601 duration";
            }
            if (d.compareTo(Duration.ofHours(1)) < 0 || d.compareTo(Duration.ofDays(366)) > 0) {
                return season + " is out of range";
            }
            if (!seen.add(d)) {
                return season + " is listed twice";
            }
        }
        return "";
    }

    /** Why {@code state.idleTtl} is refused, or empty when it is fine. */
    static String idleTtlProblem(String text) {
        if (text.equals("0")) {
            return "";
        }
        return durationProblem(text, Duration.ofSeconds(1), Duration.ofDays(36_500));
    }

    /** Why {@code state.evictionInterval} is refused, or empty when it is fine. */
    static String evictionIntervalProblem(String text) {
        return durationProblem(text, Duration.ofMillis(100), Duration.ofHours(1));
    }

    private static String durationProblem(String text, Duration min, Duration max) {
        Duration d;
        try {
            d = Duration.parse(text);
        } catch (RuntimeException e) {
            return "'" + text + "' is not an ISO-8601 duration (months and years are not: write days, e.g. P30D)";
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            return text + " is out of range";
        }
        return "";
    }

    /** Why {@code forecast.quantiles} is refused, or empty when it is fine. */
    static String quantilesProblem(List<?> levels) {
        if (levels.isEmpty() || levels.size() > 9) {
            return "lists " + levels.size() + " levels";
        }
        double previous = 0;
        for (Object level : levels) {
            if (!(level instanceof Number n) || !(n.doubleValue() > 0 && n.doubleValue() < 1)) {
                return level + " is not a level in (0, 1)";
            }
            if (!(n.doubleValue() > previous)) {
                return "levels must be different and ascending: " + levels;
            }
            previous = n.doubleValue();
        }
        return "";
    }

    private static Validator topic() {
        return new Validator(TOPIC_ALLOWED,
                (v, c) -> TOPIC_NAME.matcher(v.toString()).matches() && !v.equals(".") && !v.equals(".."),
                (v, c) -> TOPIC_NAME.matcher(v.toString()).matches() ? "'" + v + "' is reserved by Kafka"
                        : "'" + v + "' is not a valid Kafka topic name");
    }

    /** Every declared key, sections included, in declaration order. */
    public static List<Key> all() {
        return List.copyOf(KEYS.values());
    }

    /** The keys that hold a value (not sections), in declaration order. */
    public static List<Key> values() {
        return KEYS.values().stream().filter(k -> k.type() != Type.SECTION).toList();
    }

    public static Optional<Key> find(String name) {
        return Optional.ofNullable(KEYS.get(name));
    }

    /** What {@code key} accepts, for error messages, or empty for keys with no fixed rule. */
    static Optional<String> allowed(String key) {
        return find(key).map(k -> k.validator().allowed());
    }

    /** Names of the sections (topics, features, ...), in declaration order. */
    static List<String> sections() {
        return KEYS.values().stream().filter(k -> k.type() == Type.SECTION).map(Key::name).toList();
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> listOf(Object value) {
        return (List<T>) value;
    }

    /** Why {@code channels} is refused, or empty when it is fine. */
    static String channelProblem(List<String> channels) {
        if (channels.isEmpty() || channels.size() > 32) {
            return "needs 1..32 channel names, got " + channels.size();
        }
        Set<String> seen = new HashSet<>();
        for (String ch : channels) {
            if (ch == null || !CHANNEL_NAME.matcher(ch).matches()) {
                return "'" + ch + "' is not a valid channel name (letter or _ first, then letters, digits, _ . -)";
            }
            if (!seen.add(ch)) {
                return "'" + ch + "' appears twice";
            }
        }
        return "";
    }

    /** Why {@code model.layers} is refused, or empty when it is fine. */
    static String layersProblem(List<Integer> layers) {
        if (layers.isEmpty() || layers.size() > 4) {
            return "needs 1..4 stacked layers, got " + layers.size();
        }
        for (Integer h : layers) {
            if (h == null || h < 1 || h > 1024) {
                return h + " is out of range; allowed: 1..1024";
            }
        }
        return "";
    }

    /** The reference table of docs/configuration.md and {@code config --describe}, as Markdown. */
    public static String referenceTable() {
        List<String> rows = new ArrayList<>();
        rows.add("| key | type | default | allowed | meaning |");
        rows.add("|---|---|---|---|---|");
        for (Key k : values()) {
            rows.add("| `" + k.name() + "` | " + k.type().label() + " | " + code(k.defaultText()) + " | "
                    + k.validator().allowed().replace("|", "\\|") + " | " + k.doc().replace("|", "\\|") + " |");
        }
        return String.join("\n", rows) + "\n";
    }

    private static String code(String text) {
        return text.isEmpty() ? "" : "`" + text + "`";
    }

    private static String format(Object value) {
        if (value instanceof Double d) {
            if (d == Math.rint(d) && Math.abs(d) < 1e9) {
                return Long.toString(d.longValue());
            }
            return Double.toString(d).replace(".0E", "e").replace("E", "e");
        }
        return String.valueOf(value);
    }
}
