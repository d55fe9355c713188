package io.sensorcast.topology;

import io.sensorcast.anomaly.SensorAnomaly;
import io.sensorcast.config.AnomalySettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.ControlParser;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.FutureTimestampCheck;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.Rejection;
import io.sensorcast.ingest.SensorControl;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.ingest.SensorInput;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the forecasting topology: events in, one recurrent step per accepted event, forecasts, anomaly scores and
 * dead letters out; control records in, resetting or forgetting a sensor in the same task as its events.
 */
public final class ForecastTopology {

    /** The per-sensor state store (RocksDB, changelog-backed). */
    public static final String STATE_STORE = "sensor-state";
    /** Each sensor's last accepted events, kept under at_least_once only to recognise redeliveries. */
    public static final String ACCEPTED_EVENTS_STORE = "sensor-accepted-events";

    private ForecastTopology() {
    }

    /** As below, with nothing known about the topics yet: every keyed event takes the repartition path. */
    public static Topology build(PipelineConfig config, ModelRegistry registry, Supplier<StepListener> listeners,
                                 TopologyMetrics metrics) {
        return build(config, registry, listeners, metrics, TopicLayout.unknown(config));
    }

    /**
     * @param listeners one StepListener per stream task (the online trainer's sample feed, or none)
     * @param layout    the topics' partition count and dead-letter size limit, complete before the stream starts
     */
    public static Topology build(PipelineConfig config, ModelRegistry registry, Supplier<StepListener> listeners,
                                 TopologyMetrics metrics, TopicLayout layout) {
        return build(config, registry, listeners, metrics, layout, Clock.systemUTC());
    }

    /** As above, judging how far ahead event times are by {@code clock} (tests fix it). */
    public static Topology build(PipelineConfig config, ModelRegistry registry, Supplier<StepListener> listeners,
                                 TopologyMetrics metrics, TopicLayout layout, Clock clock) {
        return build(config, registry, listeners, metrics, layout, clock, true);
    }

    /**
     * The trainer role's topology: the same parsing, state and steps, feeding the trainer's sample
     * buffer, without publishing forecasts or dead letters (the serving instances do that).
     */
    public static Topology buildTrainingFeed(PipelineConfig config, ModelRegistry registry,
                                             Supplier<StepListener> listeners, TopicLayout layout) {
        return build(config, registry, listeners, TopologyMetrics.NONE, layout, Clock.systemUTC(), false);
    }

    private static Topology build(PipelineConfig config, ModelRegistry registry, Supplier<StepListener> listeners,
                                  TopologyMetrics metrics, TopicLayout layout, Clock clock, boolean publish) {
        Topics topics = new Topics(config);
        EventParser parser = new EventParser(config.parserSettings());
        FutureTimestampCheck future = new FutureTimestampCheck(clock, config.limits().maxFutureSeconds());
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(stateStore(config));
        // Exactly-once commits the state with the input offsets, so only at_least_once ever redelivers an event
        // the state already holds; only there is the extra store worth its write per event.
        boolean redeliveries = StreamsSettings.atLeastOnce(config);
        if (redeliveries) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(ACCEPTED_EVENTS_STORE), Serdes.String(), AcceptedEvents.serde()));
        }
        String[] stores = redeliveries ? new String[] {STATE_STORE, ACCEPTED_EVENTS_STORE} : new String[] {STATE_STORE};

        // Raw events in: bytes, so a record that cannot be parsed is still read and dead-lettered.
        KStream<byte[], byte[]> raw = builder.stream(topics.events.name(), topics.events.consumed()
                .withName("read-events"));

        // Parse and validate; rejected records keep their bytes and get the reason in headers.
        InputReader<SensorEvent> readEvent = (key, value) -> event(parser.parse(key, value), future, key, value);
        Map<String, KStream<byte[], StageOutcome<SensorEvent>>> parsed = raw
                .process(() -> new ParseInputProcessor<>(readEvent, layout, metrics::eventIn, metrics),
                        Named.as("parse-events"))
                .split(Named.as("parsed-"))
                .branch((key, outcome) -> outcome.isRejected(), Branched.as("rejected"))
                .branch((key, outcome) -> key != null, Branched.as("home"))
                .defaultBranch(Branched.as("routed"));

        // A sensor's state lives in one task whatever partitioner its producers used: an event keyed and read from
        // the partition Kafka Streams assigns its sensorId flows on directly; every other (keyless, or placed by
        // another partitioner, e.g. librdkafka's CRC32) goes to that partition through the repartition topic. It
        // travels as its original bytes (unchanged for the dead-letter topic anyway) and is parsed again on the
        // other side, where a record that does not parse is dead-lettered rather than failing the thread. The
        // topic keeps its first name, unkeyed-events: renaming it would strand the events in flight at an upgrade.
        KStream<String, SensorInput> keyed = parsed.get("parsed-home")
                .map((key, outcome) -> toKeyed(outcome), Named.as("key-by-sensor"));
        Map<String, KStream<String, StageOutcome<SensorEvent>>> reparsed = parsed.get("parsed-routed")
                .map((key, outcome) -> toKeyedBytes(outcome), Named.as("key-routed-by-sensor"))
                .repartition(Repartitioned.<String, byte[]>as("unkeyed-events")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
                .process(() -> new ReparseInputProcessor<>((key, value) -> event(parser.parse(null, value), null,
                        key, value), metrics), Named.as("reparse-routed-events"))
                .split(Named.as("reparsed-"))
                .branch((key, outcome) -> outcome.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        KStream<String, SensorInput> rekeyed = reparsed.get("reparsed-accepted")
                .mapValues(ForecastTopology::passed, Named.as("unwrap-reparsed"));

        // Control records take the events' path to the sensor's task: the control topic has as many partitions as
        // the events topic (the topic check insists), so a record keyed by the sensor id with Kafka's default
        // partitioner is read in the task that holds the sensor; any other is routed by sensorId. Handled by the
        // same processor as the events, a command is applied between two events of its sensor, in one transaction.
        ControlParser controlParser = new ControlParser(config.parserSettings());
        InputReader<SensorControl> readControl = (key, value) -> control(controlParser.parse(key, value), key, value);
        Map<String, KStream<byte[], StageOutcome<SensorControl>>> controls = builder
                .stream(topics.control.name(), topics.control.consumed().withName("read-control"))
                .process(() -> new ParseInputProcessor<>(readControl, layout, metrics::controlIn, metrics),
                        Named.as("parse-control"))
                .split(Named.as("control-"))
                .branch((key, outcome) -> outcome.isRejected(), Branched.as("rejected"))
                .branch((key, outcome) -> key != null, Branched.as("home"))
                .defaultBranch(Branched.as("routed"));
        KStream<String, SensorInput> keyedControl = controls.get("control-home")
                .map((key, outcome) -> toKeyed(outcome), Named.as("key-control-by-sensor"));
        Map<String, KStream<String, StageOutcome<SensorControl>>> reparsedControl = controls.get("control-routed")
                .map((key, outcome) -> toKeyedBytes(outcome), Named.as("key-routed-control-by-sensor"))
                .repartition(Repartitioned.<String, byte[]>as("routed-control")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
                .process(() -> new ReparseInputProcessor<>((key, value) -> control(controlParser.parse(null, value),
                        key, value), metrics), Named.as("reparse-routed-control"))
                .split(Named.as("reparsed-control-"))
                .branch((key, outcome) -> outcome.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        KStream<String, SensorInput> rekeyedControl = reparsedControl.get("reparsed-control-accepted")
                .mapValues(ForecastTopology::passed, Named.as("unwrap-reparsed-control"));

        // One recurrent step per event on the key's state; out-of-order events are rejected.
        Map<String, KStream<String, StageOutcome<Forecast>>> stepped = keyed
                .merge(rekeyed, Named.as("all-accepted-events"))
                .merge(keyedControl, Named.as("events-and-control"))
                .merge(rekeyedControl, Named.as("events-and-all-control"))
                .process(() -> new StepNetworkProcessor(config, registry, listeners.get(), metrics, redeliveries),
                        Named.as("step-network"), stores)
                .split(Named.as("stepped-"))
                .branch((key, outcome) -> outcome.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("forecast"));

        if (!publish) {
            return builder.build();
        }

        // Forecasts out, keyed by sensor.
        KStream<String, Forecast> forecasts = stepped.get("stepped-forecast")
                .mapValues(outcome -> ((StageOutcome.Passed<Forecast>) outcome).value(), Named.as("unwrap-forecast"));
        forecasts.to(topics.forecasts.name(), topics.forecasts.produced().withName("write-forecasts"));

        // Anomaly scores out, in the same transaction as the forecast that carries them.
        AnomalySettings anomaly = config.anomaly();
        forecasts.filter((key, f) -> f.anomaly().scored() && anomaly.publishes(f.anomaly().anomaly()),
                        Named.as("published-anomaly-scores"))
                .mapValues(f -> new SensorAnomaly(f.sensorId(), f.timestampMs(), f.step(), f.modelVersion(), f.anomaly()),
                        Named.as("anomaly-of-forecast"))
                .to(topics.anomalies.name(), topics.anomalies.produced().withName("write-anomalies"));

        // Every rejection, from either stage, to the dead-letter topic with the original bytes, cut only where the
        // record would not fit the topic (a failed write would stop every partition of the task, on every retry).
        KStream<byte[], byte[]> lateRejects = stepped.get("stepped-rejected")
                .map((key, outcome) -> originalOf(outcome), Named.as("original-of-stale"));
        KStream<byte[], byte[]> reparseRejects = reparsed.get("reparsed-rejected")
                .map((key, outcome) -> originalOf(outcome), Named.as("original-of-unparseable-repartitioned"));
        KStream<byte[], byte[]> controlRejects = controls.get("control-rejected")
                .map((key, outcome) -> originalOf(outcome), Named.as("original-of-invalid-control"))
                .merge(reparsedControl.get("reparsed-control-rejected")
                        .map((key, outcome) -> originalOf(outcome), Named.as("original-of-unparseable-routed-control")),
                        Named.as("all-control-rejects"));
        parsed.get("parsed-rejected")
                .map((key, outcome) -> originalOf(outcome), Named.as("original-of-invalid"))
                .merge(lateRejects, Named.as("all-rejects"))
                .merge(reparseRejects, Named.as("all-rejects-and-repartitioned"))
                .merge(controlRejects, Named.as("all-event-and-control-rejects"))
                .process(() -> new TrimDeadLettersProcessor(layout), Named.as("fit-dead-letters"))
                .to(topics.deadLetters.name(), topics.deadLetters.produced().withName("write-dead-letters"));

        return builder.build();
    }

    /**
     * The per-sensor state store, with the record cache when the pipeline's Kafka settings size one. The cache
     * hands a sensor's state to RocksDB and the changelog at each commit (or when it evicts the sensor), not after
     * each event: a commit (and so the transaction) still holds every sensor's latest state, and a sensor with many
     * events per commit interval writes one 3-4 KB record instead of many. The accepted-events store
     * stays uncached, so under at_least_once the cache only ever holds the state back behind it: a crash can lose
     * cached states, whose events (not yet committed) are then redelivered and stepped again, not skipped.
     */
    public static StoreBuilder<KeyValueStore<String, SensorState>> stateStore(PipelineConfig config) {
        StoreBuilder<KeyValueStore<String, SensorState>> store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new SensorStateSerde());
        return StreamsSettings.stateCache(config) ? store.withCachingEnabled() : store;
    }

    /** An event parsed and (when {@code future} is given) checked against the wall clock, as a stage outcome. */
    private static StageOutcome<SensorEvent> event(ParseResult result, FutureTimestampCheck future, byte[] key,
                                                   byte[] value) {
        if (result instanceof ParseResult.Rejected rejected) {
            return new StageOutcome.Rejected<>(key, value, rejected.rejection());
        }
        SensorEvent event = ((ParseResult.Accepted) result).event();
        Rejection tooFarAhead = future == null ? null : future.check(event);
        return tooFarAhead == null ? new StageOutcome.Passed<>(event)
                : new StageOutcome.Rejected<>(key, value, tooFarAhead);
    }

    private static StageOutcome<SensorControl> control(ControlParser.Result result, byte[] key, byte[] value) {
        return result instanceof ControlParser.Result.Accepted accepted ? new StageOutcome.Passed<>(accepted.control())
                : new StageOutcome.Rejected<>(key, value, ((ControlParser.Result.Rejected) result).rejection());
    }

    private static SensorInput passed(StageOutcome<? extends SensorInput> outcome) {
        return ((StageOutcome.Passed<? extends SensorInput>) outcome).value();
    }

    private static KeyValue<String, SensorInput> toKeyed(StageOutcome<? extends SensorInput> outcome) {
        SensorInput input = passed(outcome);
        return KeyValue.pair(input.sensorId(), input);
    }

    private static KeyValue<String, byte[]> toKeyedBytes(StageOutcome<? extends SensorInput> outcome) {
        SensorInput input = passed(outcome);
        return KeyValue.pair(input.sensorId(), input.original());
    }

    private static <V> KeyValue<byte[], byte[]> originalOf(StageOutcome<V> outcome) {
        StageOutcome.Rejected<V> rejected = (StageOutcome.Rejected<V>) outcome;
        return KeyValue.pair(rejected.key(), rejected.value());
    }
}
