package io.sensorcast.topology;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.service.Role;
import io.sensorcast.service.ServiceRuntime;
import io.sensorcast.testing.BrokerClients;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import static io.sensorcast.testing.TopologyHarness.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A 1.5 MB event, larger than any dead letter the producer may write (max.request.size, 1 MiB), on a real broker
 * whose events topic takes 2 MB records: it is dead-lettered cut to fit, and every partition keeps forecasting.
 */
@IntegrationTest
class OversizedRecordTest {

    private static final int PARTITIONS = 3;
    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;
    private static final int BIG = 1_500_000;

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();

    @TempDir
    Path dir;

    @Test
    void aRecordOfOnePointFiveMegabytesIsDeadLetteredCutToFitWhileEveryPartitionKeepsForecasting() throws Exception {
        String bootstrap = KAFKA.broker().bootstrapServers();
        PipelineConfig config = BrokerClients.servingPipeline("oversized", bootstrap, dir);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(config.topics().events(), PARTITIONS, (short) 1)
                            .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2000000")),
                    new NewTopic(config.topics().forecasts(), PARTITIONS, (short) 1),
                    new NewTopic(config.topics().deadLetter(), PARTITIONS, (short) 1))).all().get();
        }
        // Two sensors per partition, so that a stalled task would show on every partition it holds.
        List<String> all = IntStream.range(0, PARTITIONS).boxed().flatMap(p -> IntStream.range(0, 100)
                .mapToObj(i -> "humidity-" + i).filter(id -> TopicLayout.homePartition(id, PARTITIONS) == p).limit(2))
                .toList();
        String victim = all.get(0);
        byte[] big = ("{\"sensorId\":\"" + victim + "\",\"ts\":" + (T0 + 5 * MINUTE) + ",\"value\":1,\"pad\":\""
                + "x".repeat(BIG) + "\"}").getBytes(StandardCharsets.UTF_8);

        try (ServiceRuntime runtime = new ServiceRuntime(config, Role.SERVE);
             KafkaProducer<byte[], byte[]> producer = BrokerClients.producer(bootstrap,
                     Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, "2000000"));
             KafkaConsumer<String, byte[]> consumer = BrokerClients.outputs(bootstrap, config)) {
            runtime.start(1, Duration.ofSeconds(60));
            String topic = config.topics().events();
            for (int i = 0; i < 20; i++) {
                if (i == 10) {
                    producer.send(new ProducerRecord<>(topic, victim.getBytes(StandardCharsets.UTF_8), big)).get();
                }
                for (String s : all) {
                    producer.send(new ProducerRecord<>(topic, s.getBytes(StandardCharsets.UTF_8),
                            event(s, T0 + i * MINUTE, 40 + i % 5).getBytes(StandardCharsets.UTF_8)));
                }
            }
            producer.flush();

            ForecastJson json = new ForecastJson(config.channels());
            List<Forecast> forecasts = new ArrayList<>();
            List<ConsumerRecord<String, byte[]>> deadLetters = new ArrayList<>();
            int expected = 20 * all.size();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while ((forecasts.size() < expected || deadLetters.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(config.topics().forecasts())) {
                        forecasts.add(json.read(r.value()));
                    } else {
                        deadLetters.add(r);
                    }
                }
            }

            assertThat(forecasts).hasSize(expected);
            Set<Integer> partitionsForecast = new HashSet<>();
            forecasts.forEach(f -> partitionsForecast.add(TopicLayout.homePartition(f.sensorId(), PARTITIONS)));
            assertThat(partitionsForecast).hasSize(PARTITIONS);
            assertThat(deadLetters).hasSize(1);
            ConsumerRecord<String, byte[]> letter = deadLetters.get(0);
            assertThat(letter.key()).isEqualTo(victim);
            assertThat(DeadLetterHeaders.reason(letter.headers())).contains(RejectReason.PAYLOAD_TOO_LARGE);
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.TRUNCATED)).contains("value");
            assertThat(DeadLetterHeaders.text(letter.headers(), DeadLetterHeaders.ORIGINAL_SIZE))
                    .contains(Integer.toString(big.length));
            assertThat(letter.value().length).isBetween(1_000_000, 1_048_576);
            assertThat(new String(letter.value(), 0, 40, StandardCharsets.UTF_8)).isEqualTo(
                    new String(big, 0, 40, StandardCharsets.UTF_8));

            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + runtime.metricsPort() + "/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(runtime.meters().scrape()).contains("sensorcast_stream_thread_failures_total 0.0")
                    .contains("sensorcast_stream_stalled 0.0");
        }
    }
}
