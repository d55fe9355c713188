package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateCodec;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.topology.ForecastTopology;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The service's memory with many keys on the in-process KRaft broker: heap after a full collection and VmRSS
 * before the service starts (broker and preloaded topic only) and after it has served every key, the encoded
 * size of one sensor's state, and the RocksDB store's size on disk per key.
 *
 * <pre>
 * src/bench/run io.sensorcast.bench.service.MemoryFootprintBench --keys 100000 --events-per-key 5
 * </pre>
 */
public final class MemoryFootprintBench {

    private static final Set<String> FLAGS = Set.of("keys", "events-per-key", "partitions", "seed");
    private static final long MIB = 1 << 20;

    private MemoryFootprintBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, FLAGS);
        int keys = args.integer("keys", 100_000);
        int perKey = args.integer("events-per-key", 5);
        int partitions = args.integer("partitions", 4);
        Workload workload = new Workload(keys * perKey, keys, args.integer("seed", 42));
        System.out.printf("%,d keys x %d events, %d partitions; JVM %s, max heap %d MiB, %s%n", keys, perKey,
                partitions, System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20,
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(partitions);
             BenchKafka kafka = new BenchKafka(broker.bootstrapServers())) {
            String topic = "memory-events";
            kafka.createTopic(topic, partitions, Map.of());
            workload.preload(broker.bootstrapServers(), topic);
            Path stateDir = Files.createTempDirectory("sensorcast-bench-state-");
            Path modelDir = Files.createTempDirectory("sensorcast-bench-models-");
            PipelineConfig config = PipelineConfigLoader.parse("name: memory\n"
                            + "topics: {events: " + topic + ", forecasts: memory-out, deadLetter: memory-dlq, models: "
                            + "memory-models, control: " + topic + "-control}\nmodel: {directory: '" + modelDir + "'}\ntraining: {enabled: false}\n")
                    .withKafka(Map.of("bootstrap.servers", broker.bootstrapServers(), "state.dir", stateDir.toString()));
            PipelineTopics.ensure(config, partitions);
            ProcessMemory before = ProcessMemory.read(true);
            System.out.println("broker + preloaded topic, before the service: " + before);
            long entries;
            int encoded;
            try (ServiceUnderTest service = new ServiceUnderTest(Variant.FORECASTER, config)) {
                service.start(Duration.ofMinutes(2));
                while (kafka.committed("memory", topic) < workload.events()) {
                    Thread.sleep(100);
                }
                ProcessMemory served = ProcessMemory.read(true);
                ReadOnlyKeyValueStore<String, SensorState> store = service.streams().store(StoreQueryParameters
                        .fromNameAndType(ForecastTopology.STATE_STORE, QueryableStoreTypes.keyValueStore()));
                entries = store.approximateNumEntries();
                SensorState one = store.get(Workload.sensorId(0));
                encoded = new SensorStateCodec().encode(one).length;
                System.out.println("service running, every key served:            " + served);
                System.out.printf("service's share: heap +%,d MiB (%,d bytes per key), VmRSS +%,d MiB (%,d bytes per key)%n",
                        (served.heapUsed() - before.heapUsed()) / MIB, (served.heapUsed() - before.heapUsed()) / keys,
                        (served.rss() - before.rss()) / MIB, (served.rss() - before.rss()) / keys);
            }
            // Closing flushes RocksDB's memtables, so the files now hold every key.
            long onDisk = rocksDbBytes(stateDir);
            System.out.printf("store: ~%,d entries (RocksDB estimate); one encoded SensorState %,d bytes; RocksDB on disk "
                    + "%,d bytes = %,d bytes per key%n", entries, encoded, onDisk, onDisk / keys);
            System.out.printf("one SensorState with a full replay window (%d inputs): %,d bytes encoded%n",
                    config.model().replayWindow(), steadyStateBytes(config, workload));
            DrainRun.deleteRecursively(stateDir);
            DrainRun.deleteRecursively(modelDir);
        }
        System.exit(0);
    }

    /** A key's encoded state once its replay window is full: the size every long-lived key settles at. */
    private static int steadyStateBytes(PipelineConfig config, Workload workload) {
        ServingModel model = ModelSources.initialServing(config, Optional.empty());
        SensorForecaster forecaster = new SensorForecaster(config, model.weights().spec(), StepListener.NONE);
        EventParser parser = new EventParser(config.parserSettings());
        SensorState state = forecaster.newState();
        Workload oneKey = new Workload(config.model().replayWindow() + 8, 1, workload.seed());
        for (int i = 0; i < oneKey.events(); i++) {
            ParseResult parsed = parser.parse(oneKey.sensorOf(i).getBytes(StandardCharsets.UTF_8), oneKey.value(i));
            forecaster.advance(state, ((ParseResult.Accepted) parsed).event(), model);
        }
        return new SensorStateCodec().encode(state).length;
    }

    private static long rocksDbBytes(Path stateDir) {
        try (Stream<Path> files = Files.walk(stateDir)) {
            return files.filter(Files::isRegularFile).filter(p -> p.toString().contains("/rocksdb/"))
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
