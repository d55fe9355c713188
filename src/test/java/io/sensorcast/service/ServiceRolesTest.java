package io.sensorcast.service;

import io.sensorcast.config.MetricsSettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.model.ModelFiles;
import io.sensorcast.model.ModelUpdates;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.NeedsNabData;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** One trainer and two serving instances on one real broker: models flow from the trainer to every server. */
@IntegrationTest
@NeedsNabData
class ServiceRolesTest {

    @TempDir
    Path dir;

    // The gate's tolerance is wide open here: this test is about models flowing from the trainer to every
    // server, not about their quality (which sample order, set by partition timing, makes vary).
    private PipelineConfig config(String bootstrap, String instance) {
        return PipelineConfigLoader.parse("""
                        name: roles-test
                        training: {everySamples: 700, everySeconds: 0, maxKeys: 8, stepsPerKey: 160, windowLength: 32,
                                   tbpttLength: 16, batchSize: 8, epochs: 1, seed: 3, tolerance: 1.0}
                        """)
                .withKafka(Map.of("bootstrap.servers", bootstrap, "state.dir", dir.resolve(instance + "/state").toString(),
                        "commit.interval.ms", "100"))
                .withMetrics(new MetricsSettings("127.0.0.1", 0, List.of(), 1000))
                .withModelDirectory(dir.resolve(instance + "/models").toString());
    }

    @Test
    void servingInstancesConvergeOnTheTrainersModelsAndARestartedOneComesBackWithTheLatest() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            String bootstrap = broker.bootstrapServers();
            PipelineTopics.ensure(config(bootstrap, "x"), 2);
            ServiceRuntime trainer = new ServiceRuntime(config(bootstrap, "trainer"), Role.TRAIN);
            ServiceRuntime serverA = new ServiceRuntime(config(bootstrap, "a"), Role.SERVE);
            ServiceRuntime serverB = new ServiceRuntime(config(bootstrap, "b"), Role.SERVE);
            try {
                assertThat(trainer.trainer()).isPresent();
                assertThat(serverA.trainer()).isEmpty();
                trainer.start(0, Duration.ofSeconds(60));
                serverA.start(0, Duration.ofSeconds(60));
                serverB.start(0, Duration.ofSeconds(60));
                // Fewer events than a training round needs, forecast before any model can be published: so some
                // forecasts are certainly by v1, however fast the trainer is.
                produce(bootstrap, "realTraffic/speed_7578.csv", 0, 100);
                assertThat(forecastVersions(bootstrap, "before-training", 100)).isNotEmpty().containsOnly(1L);
                produce(bootstrap, "realTraffic/speed_7578.csv", 100, Integer.MAX_VALUE);
                produce(bootstrap, "realTraffic/occupancy_6005.csv");

                await(() -> trainer.registry().current().version() >= 2, Duration.ofSeconds(120), "the trainer publishes");
                long published = trainer.registry().current().version();
                await(() -> serverA.registry().current().version() >= published
                        && serverB.registry().current().version() >= published, Duration.ofSeconds(30), "servers converge");
                assertThat(serverA.registry().current().weights().layers()[0].w())
                        .containsExactly(trainer.registry().current().weights().layers()[0].w());
                // Each instance also keeps accepted models on disk (counted once the zip is written).
                await(() -> serverA.modelsApplied() >= 1, Duration.ofSeconds(10), "server A saves the model");
                assertThat(ModelFiles.newestVersion(dir.resolve("a/models"), "roles-test")).isPresent();

                // Forecasts name the model that made them: events after the swap are forecast by the new version.
                produce(bootstrap, "realTraffic/TravelTime_451.csv");
                assertThat(forecastVersions(bootstrap, "versions-reader", Integer.MAX_VALUE)).contains(1L).anyMatch(v -> v >= 2);
            } finally {
                serverB.close();
                // No model is published after this, so the topic's newest version is final.
                trainer.close();
            }
            long latest = ModelUpdates.latest(config(bootstrap, "x"), Duration.ofSeconds(30)).orElseThrow()
                    .metadata().version();
            ServiceRuntime restarted = new ServiceRuntime(config(bootstrap, "b"), Role.SERVE);
            try {
                assertThat(latest).isGreaterThanOrEqualTo(2);
                assertThat(restarted.registry().current().version()).isEqualTo(latest);
            } finally {
                restarted.close();
                serverA.close();
            }
        }
    }

    private static void produce(String bootstrap, String file) {
        produce(bootstrap, file, 0, Integer.MAX_VALUE);
    }

    /** Rows {@code from} (inclusive) to {@code to} (exclusive, capped at the series' end) of one series. */
    private static void produce(String bootstrap, String file, int from, int to) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            CsvSeries s = NabData.series(file);
            for (int i = from; i < Math.min(to, s.size()); i++) {
                producer.send(new ProducerRecord<>("sensor-events", s.name(), s.toEventJson(i)));
            }
        }
    }

    /** Versions of forecasts read by a new consumer group, until {@code enough} are read, one of v2 or later shows, or 20 s pass. */
    private static List<Long> forecastVersions(String bootstrap, String group, int enough) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        ForecastJson json = new ForecastJson(List.of("value"));
        ArrayList<Long> versions = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of("sensor-forecasts"));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && versions.size() < enough && versions.stream().allMatch(v -> v < 2)) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
                    versions.add(json.read(r.value().getBytes(StandardCharsets.UTF_8)).modelVersion());
                }
            }
        }
        return versions;
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(100);
        }
    }
}
