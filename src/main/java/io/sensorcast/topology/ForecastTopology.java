package io.sensorcast.topology;

import io.sensorcast.anomaly.SensorAnomaly;
import io.sensorcast.config.AnomalySettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.FutureTimestampCheck;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.state.AcceptedEvents;
import io.sensorcast.state.SensorStateSerde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

import java.time.Clock;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Builds the forecasting topology: events in, one recurrent step per accepted event, forecasts, anomaly scores and
 * dead letters out.
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
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), new SensorStateSerde()));
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
        Map<String, KStream<byte[], StageOutcome<SensorEvent>>> parsed = raw
                .process(() -> new ParseEventsProcessor(parser, future, layout, metrics), Named.as("parse-events"))
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
        KStream<String, SensorEvent> keyed = parsed.get("parsed-home")
                .map((key, outcome) -> toKeyed(outcome), Named.as("key-by-sensor"));
        Map<String, KStream<String, StageOutcome<SensorEvent>>> reparsed = parsed.get("parsed-routed")
                .map((key, outcome) -> toKeyedBytes(outcome), Named.as("key-routed-by-sensor"))
                .repartition(Repartitioned.<String, byte[]>as("unkeyed-events")
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()))
                .process(() -> new ReparseEventsProcessor(parser, metrics), Named.as("reparse-routed-events"))
                .split(Named.as("reparsed-"))
                .branch((key, outcome) -> outcome.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));
        KStream<String, SensorEvent> rekeyed = reparsed.get("reparsed-accepted")
                .mapValues(outcome -> ((StageOutcome.Passed<SensorEvent>) outcome).value(), Named.as("unwrap-reparsed"));

        // One recurrent step per event on the key's state; out-of-order events are rejected.
        Map<String, KStream<String, StageOutcome<Forecast>>> stepped = keyed
                .merge(rekeyed, Named.as("all-accepted-events"))
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
        parsed.get("parsed-rejected")
                .map((key, outcome) -> originalOf(outcome), Named.as("original-of-invalid"))
                .merge(lateRejects, Named.as("all-rejects"))
                .merge(reparseRejects, Named.as("all-rejects-and-repartitioned"))
                .process(() -> new TrimDeadLettersProcessor(layout), Named.as("fit-dead-letters"))
                .to(topics.deadLetters.name(), topics.deadLetters.produced().withName("write-dead-letters"));

        return builder.build();
    }

    private static KeyValue<String, SensorEvent> toKeyed(StageOutcome<SensorEvent> outcome) {
        SensorEvent event = ((StageOutcome.Passed<SensorEvent>) outcome).value();
        return KeyValue.pair(event.sensorId(), event);
    }

    private static KeyValue<String, byte[]> toKeyedBytes(StageOutcome<SensorEvent> outcome) {
        SensorEvent event = ((StageOutcome.Passed<SensorEvent>) outcome).value();
        return KeyValue.pair(event.sensorId(), event.original());
    }

    private static <V> KeyValue<byte[], byte[]> originalOf(StageOutcome<V> outcome) {
        StageOutcome.Rejected<V> rejected = (StageOutcome.Rejected<V>) outcome;
        return KeyValue.pair(rejected.key(), rejected.value());
    }
}
