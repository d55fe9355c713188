package io.sensorcast.service;

import io.sensorcast.config.MetricsSettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.metrics.ObservabilityQueries;
import io.sensorcast.testing.ExternalTool;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.NeedsNabData;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The running service's /metrics and /health endpoints, checked by promtool and scraped by a real Prometheus. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@IntegrationTest
@NeedsNabData
class MetricsEndpointTest {

    private static final List<String> SERVICE_METRICS = List.of(
            "sensorcast_events_in_total", "sensorcast_forecasts_out_total", "sensorcast_dead_letters_total",
            "sensorcast_step_duration_seconds_bucket", "sensorcast_event_lag_seconds_bucket", "sensorcast_forecast_mae",
            "sensorcast_forecast_nrmse", "sensorcast_forecast_skill", "sensorcast_forecast_actual",
            "sensorcast_forecast_predicted", "sensorcast_active_keys", "sensorcast_state_restore_remaining_records",
            "sensorcast_stream_up", "sensorcast_stream_stalled", "sensorcast_stream_thread_failures_total",
            "sensorcast_model_version", "sensorcast_model_swaps_total",
            "sensorcast_model_last_swap_timestamp_seconds", "sensorcast_trainer_runs_total",
            "sensorcast_trainer_train_loss", "sensorcast_trainer_validation_loss", "sensorcast_trainer_gradient_norm",
            "sensorcast_trainer_gradient_norm_max", "sensorcast_trainer_clipped_ratio", "sensorcast_forecast_quantile",
            "sensorcast_interval_coverage", "sensorcast_sensors_evicted_total",
            "sensorcast_eviction_slice_duration_seconds_bucket", "sensorcast_control_actions_total",
            "sensorcast_control_in_total", "sensorcast_query_duration_seconds_bucket",
            "sensorcast_query_duration_seconds_count", "kafka_stream_thread_process_total",
            "jvm_memory_used_bytes", "process_cpu_usage");

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();

    private final HttpClient http = HttpClient.newHttpClient();
    private ServiceRuntime runtime;
    private Path dir;

    @BeforeAll
    void startServiceAndStreamRealData(@TempDir Path tmp) throws Exception {
        dir = tmp;
        PipelineConfig config = PipelineConfigLoader.parse("""
                        name: metrics-test
                        training: {everySamples: 600, everySeconds: 0, maxKeys: 4, stepsPerKey: 160, windowLength: 32,
                                   tbpttLength: 16, batchSize: 8, epochs: 1}
                        """)
                .withKafka(Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers(), "state.dir", tmp.resolve("state").toString()))
                .withMetrics(new MetricsSettings("127.0.0.1", 0, List.of("speed_7578"), 500))
                .withModelDirectory(tmp.resolve("models").toString());
        PipelineTopics.ensure(config, 2);
        runtime = new ServiceRuntime(config, Role.ALL);
        runtime.start(0, Duration.ofSeconds(60));
        CsvSeries series = NabData.series("realTraffic/speed_7578.csv");
        Properties p = new Properties();
        p.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < series.size(); i++) {
                producer.send(new ProducerRecord<>("sensor-events", series.name(), series.toEventJson(i)));
            }
            producer.send(new ProducerRecord<>("sensor-events", series.name(), "{not json"));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && finishedRounds(scrape()) == 0) {
            Thread.sleep(250);
        }
        // The query API's meters exist once it has answered.
        get("/sensors/" + series.name());
        get("/sensors?limit=10");
    }

    /** Accepted plus rejected training rounds in a scrape. */
    private static double finishedRounds(String scrape) {
        return scrape.lines().filter(l -> l.startsWith("sensorcast_trainer_runs_total{outcome=\"accepted\"}")
                        || l.startsWith("sensorcast_trainer_runs_total{outcome=\"rejected\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @AfterAll
    void stop() {
        runtime.close();
    }

    private String get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + runtime.metricsPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private String scrape() throws IOException, InterruptedException {
        return get("/metrics");
    }

    @Test
    void metricsEndpointExportsEveryServiceTrainingKafkaAndJvmMetricWithHelpText() throws Exception {
        String body = scrape();
        assertThat(finishedRounds(body)).as("a training round finished").isPositive();
        for (String name : SERVICE_METRICS) {
            assertThat(body).as(name).containsPattern("(?m)^" + name + "[{ ]");
        }
        assertThat(body).contains("# HELP sensorcast_forecasts_out_total").contains("# HELP sensorcast_forecast_skill");
        assertThat(body).containsPattern("sensorcast_dead_letters_total\\{reason=\"MALFORMED_JSON\"} 1\\.0");
        assertThat(body).containsPattern("sensorcast_forecasts_out_total\\{topic=\"sensor-forecasts\"} [1-9]");
        // One sensor, thousands of state writes: the gauge counts the sensor once.
        assertThat(body).containsPattern("(?m)^sensorcast_active_keys 1\\.0$");
        assertThat(body).containsPattern("(?m)^sensorcast_state_restore_remaining_records 0\\.0$");
        // No event payloads: the malformed record's text never appears.
        assertThat(body).doesNotContain("not json");
    }

    @Test
    void promtoolAcceptsEverySensorcastMetricAndTheWholeLiveOutput() throws Exception {
        String body = scrape();
        String ours = body.lines().filter(l -> metricName(l).startsWith("sensorcast_"))
                .collect(Collectors.joining("\n", "", "\n"));
        ExternalTool.Result strict = ExternalTool.PROMTOOL.runWithInput(ours, "check", "metrics");
        assertThat(strict.exitCode()).as(strict.output()).isZero();

        // And the whole page, Kafka's client metrics and the JVM's included (upstream names made compliant
        // by PromtoolCompliantNames).
        ExternalTool.Result all = ExternalTool.PROMTOOL.runWithInput(body, "check", "metrics");
        assertThat(all.exitCode()).as(all.output()).isZero();
    }

    private static String metricName(String line) {
        String rest = line.startsWith("# HELP ") || line.startsWith("# TYPE ") ? line.substring(7) : line;
        int end = 0;
        while (end < rest.length() && (Character.isLetterOrDigit(rest.charAt(end)) || rest.charAt(end) == '_'
                || rest.charAt(end) == ':')) {
            end++;
        }
        return rest.substring(0, end);
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsQueryExistsInTheLiveOutput() throws Exception {
        String body = scrape();
        for (String name : ObservabilityQueries.metricNames()) {
            assertThat(body).as(name + " is queried by the dashboard or an alert").containsPattern("(?m)^" + name + "[{ ]");
        }
    }

    @Test
    void healthEndpointsReportLiveAndReady() throws Exception {
        HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + runtime.metricsPort() + "/health/live")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + runtime.metricsPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
    }

    @Test
    void aRealPrometheusScrapesTheServiceAndAnswersQueriesForForecastAndTrainingMetrics() throws Exception {
        Path prometheus = new ExternalTool("prometheus", "prometheus").path();
        int port = freePort();
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global: {scrape_interval: 1s}
                scrape_configs:
                  - job_name: sensorcast
                    static_configs: [{targets: ['127.0.0.1:%d']}]
                """.formatted(runtime.metricsPort()));
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        try {
            String forecasts = awaitQuery(port, "sensorcast_forecasts_out_total");
            assertThat(forecasts).contains("\"job\":\"sensorcast\"");
            assertThat(awaitQuery(port, "sensorcast_trainer_runs_total")).contains("\"outcome\"");
            assertThat(awaitQuery(port, "sensorcast_forecast_skill")).contains("model_version");
        } finally {
            server.destroy();
            server.waitFor();
        }
    }

    private String awaitQuery(int port, String query) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            try {
                body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/query?query="
                        + query)).build(), HttpResponse.BodyHandlers.ofString()).body();
                if (body.contains("\"result\":[{")) {
                    return body;
                }
            } catch (IOException notUpYet) {
                // Prometheus is still starting.
            }
            Thread.sleep(500);
        }
        throw new AssertionError("Prometheus never returned " + query + ": " + body);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
