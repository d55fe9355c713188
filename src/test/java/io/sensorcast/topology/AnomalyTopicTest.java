package io.sensorcast.topology;

import io.sensorcast.anomaly.AnomalyJson;
import io.sensorcast.anomaly.SensorAnomaly;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.EventJsonWriter;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.TestModels;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A spike and a level shift planted in two noisy sensors, streamed through the service on a real broker under
 * exactly_once_v2: the anomaly topic gets exactly one record for each, at the planted event, the same score the
 * forecast record of that event carries, and none for the events at the shifted level that follow.
 */
@IntegrationTest
class AnomalyTopicTest {

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain(2);

    private static final int EVENTS = 3_000;
    private static final int PLANTED = 2_000;
    private static final long T0 = 1_763_800_000_000L;

    @TempDir
    Path stateDir;

    @Test
    void aPlantedSpikeIsFlaggedOnceAndAPlantedLevelShiftOnceThenLearnt() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        PipelineConfig config = PipelineConfigLoader.parse("name: it-anomaly\nhorizon: 3\nmodel: {layers: [8]}\n")
                .withKafka(Map.of("bootstrap.servers", bootstrap, "state.dir", stateDir.toString(),
                        "processing.guarantee", "exactly_once_v2", "commit.interval.ms", "200"));
        PipelineTopics.ensure(config, 2);
        Random random = new Random(5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(BrokerForecastScenario.producerProps(bootstrap))) {
            for (int i = 0; i < EVENTS; i++) {
                double spike = 50 + random.nextGaussian() + (i == PLANTED ? 25 : 0);
                double shift = 50 + random.nextGaussian() + (i >= PLANTED ? 30 : 0);
                send(producer, config, "spike", i, spike);
                send(producer, config, "shift", i, shift);
            }
        }
        // A network whose output is zero forecasts persistence: what is tested is the scoring and its topic.
        ServingModel persistence = new ServingModel(1, NetworkWeights.zeros(ModelShapes.specOf(config)),
                TestModels.metadata(config, 1));
        Map<String, List<Forecast>> forecasts = new HashMap<>();
        Map<String, List<SensorAnomaly>> anomalies = new HashMap<>();
        ForecastJson forecastJson = new ForecastJson(config.channels());
        AnomalyJson anomalyJson = new AnomalyJson(config.channels());
        try (ForecastService service = new ForecastService(config, new ModelRegistry(ModelShapes.specOf(config), persistence),
                () -> StepListener.NONE, TopologyMetrics.NONE);
             KafkaConsumer<String, byte[]> f = new KafkaConsumer<>(BrokerForecastScenario.consumerProps(bootstrap, "af"),
                     new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<String, byte[]> a = new KafkaConsumer<>(BrokerForecastScenario.consumerProps(bootstrap, "aa"),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            service.start();
            f.subscribe(List.of(config.topics().forecasts()));
            a.subscribe(List.of(config.topics().anomalies()));
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            int extraPolls = 5;
            while (System.nanoTime() < deadline && (count(forecasts) < 2 * EVENTS || extraPolls-- > 0)) {
                for (ConsumerRecord<String, byte[]> r : f.poll(Duration.ofMillis(200))) {
                    forecasts.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(forecastJson.read(r.value()));
                }
                for (ConsumerRecord<String, byte[]> r : a.poll(Duration.ofMillis(10))) {
                    SensorAnomaly anomaly = anomalyJson.read(r.value());
                    assertThat(r.key()).isEqualTo(anomaly.sensorId());
                    anomalies.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(anomaly);
                }
            }
        }
        assertThat(count(forecasts)).as("forecasts received within the deadline").isEqualTo(2 * EVENTS);
        for (String sensor : List.of("spike", "shift")) {
            List<SensorAnomaly> flagged = anomalies.getOrDefault(sensor, List.of());
            assertThat(flagged).as("anomaly records of %s", sensor).hasSize(1);
            SensorAnomaly only = flagged.get(0);
            assertThat(only.step()).as("the planted event of %s", sensor).isEqualTo(PLANTED + 1);
            assertThat(only.score().anomaly()).isTrue();
            assertThat(only.score().reason()).isEqualTo("above");
            // The same score the forecast of that event carries: one transaction wrote both.
            Forecast carrier = forecasts.get(sensor).get(PLANTED);
            assertThat(carrier.step()).isEqualTo(PLANTED + 1);
            assertThat(carrier.anomaly()).isEqualTo(only.score());
        }
        // The new level is learnt: the shifted sensor's last 500 events score below the threshold.
        assertThat(forecasts.get("shift").subList(EVENTS - 500, EVENTS))
                .allSatisfy(fc -> assertThat(fc.anomaly().score()).isLessThan(config.anomaly().threshold()));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, PipelineConfig config, String sensor, int i,
                             double value) {
        String json = EventJsonWriter.write(sensor, T0 + i * 60_000L, config.channels(), new double[] {value});
        producer.send(new ProducerRecord<>(config.topics().events(), sensor.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)));
    }

    private static int count(Map<String, List<Forecast>> perKey) {
        return perKey.values().stream().mapToInt(List::size).sum();
    }
}
