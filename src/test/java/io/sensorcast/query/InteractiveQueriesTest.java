package io.sensorcast.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.ChildPipeline;
import io.sensorcast.testing.ChildService;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.OutputCollector;
import io.sensorcast.testing.PacedProducer;
import io.sensorcast.testing.SensorWorkload;
import io.sensorcast.testing.TakeoverScenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Two service JVMs on a real broker share the partitions: each answers for every sensor (forwarding to the other
 * when it does not hold it), both list the same complete pages, and once one stops, the other answers the same.
 */
@IntegrationTest
class InteractiveQueriesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final int SENSORS = 40;
    private static final int EVENTS = 12;

    @TempDir
    Path dir;

    @Test
    void eitherInstanceAnswersTheSameForEverySensorListsCompleteStablePagesAndKeepsAnsweringAfterTheOtherStops()
            throws Exception {
        SensorWorkload workload = SensorWorkload.generate(SENSORS, EVENTS, 50);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> kafka = Map.of("num.standby.replicas", "1");
            ChildPipeline pa = new ChildPipeline("queries", broker.bootstrapServers(), dir.resolve("a"), kafka);
            ChildPipeline pb = new ChildPipeline("queries", broker.bootstrapServers(), dir.resolve("b"), kafka);
            PipelineConfig config = pa.config();
            PipelineTopics.ensure(config, 4);
            try (OutputCollector out = new OutputCollector(broker.bootstrapServers(), config);
                 ChildService a = ChildService.start("a", pa.write(), ChildService.freshLog("queries-a"));
                 ChildService b = ChildService.start("b", pb.write(), ChildService.freshLog("queries-b"))) {
                try {
                    a.awaitReady(Duration.ofSeconds(120));
                    b.awaitReady(Duration.ofSeconds(120));
                    TakeoverScenario.awaitSharedAssignment(broker.bootstrapServers(), config.name(), Duration.ofSeconds(90));
                    String urlA = "http://127.0.0.1:" + a.metricsPort();
                    String urlB = "http://127.0.0.1:" + b.metricsPort();
                    try (PacedProducer producer = new PacedProducer(broker.bootstrapServers(), config.topics().events(),
                            workload, 2_000, Integer.MAX_VALUE).start()) {
                        producer.awaitDone(Duration.ofSeconds(120));
                    }
                    out.awaitAtLeast(workload.validCount(), workload.badCount(), Duration.ofSeconds(120),
                            Duration.ofSeconds(1));
                    Map<String, List<Forecast>> published = out.bySensor();
                    List<String> ids = new ArrayList<>(new TreeSet<>(published.keySet()));
                    assertThat(ids).hasSize(SENSORS);

                    Map<String, JsonNode> before = new TreeMap<>();
                    TreeSet<String> servers = new TreeSet<>();
                    for (String id : ids) {
                        HttpResponse<String> fromA = get(urlA + "/sensors/" + id, Duration.ofSeconds(60));
                        HttpResponse<String> fromB = get(urlB + "/sensors/" + id, Duration.ofSeconds(60));
                        assertThat(fromA.body()).as(id).isEqualTo(fromB.body());
                        JsonNode answer = JSON.readTree(fromA.body());
                        Forecast last = published.get(id).get(published.get(id).size() - 1);
                        assertThat(answer.get("step").asLong()).as(id).isEqualTo(EVENTS);
                        assertThat(answer.get("servedBy").asText()).isEqualTo("active");
                        assertThat(answer.get("forecast").get("forecasts").get(0).get("values").get("value").asDouble())
                                .as(id).isCloseTo(last.value(1, 0), within(1e-4));
                        servers.add(answer.get("instance").asText());
                        before.put(id, withoutServer(answer));
                    }
                    assertThat(servers).as("the sensors live on both instances").hasSize(2);

                    List<List<String>> pagesA = pages(urlA, "", 7);
                    assertThat(pages(urlB, "", 7)).as("the same pages from either instance").isEqualTo(pagesA);
                    assertThat(pagesA.stream().flatMap(List::stream).toList()).containsExactlyElementsOf(ids);
                    assertThat(pages(urlB, "sensor-01", 3).stream().flatMap(List::stream).toList())
                            .containsExactlyElementsOf(ids.stream().filter(id -> id.startsWith("sensor-01")).toList());
                    HttpResponse<String> unknown = HTTP.send(HttpRequest.newBuilder(URI.create(urlB
                            + "/sensors/no-such-sensor")).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(unknown.statusCode()).isEqualTo(404);
                    assertThat(JSON.readTree(unknown.body()).get("error").asText()).isEqualTo("UNKNOWN_SENSOR");

                    a.terminate();
                    assertThat(a.awaitExit(Duration.ofSeconds(60))).isZero();
                    long stopped = System.nanoTime();
                    for (String id : ids) {
                        JsonNode answer = JSON.readTree(get(urlB + "/sensors/" + id, Duration.ofSeconds(90)).body());
                        assertThat(answer.get("instance").asText()).isEqualTo("127.0.0.1:" + b.metricsPort());
                        assertThat(withoutServer(answer)).as(id).isEqualTo(before.get(id));
                    }
                    System.out.printf("B answered for every sensor %d ms after A exited%n",
                            (System.nanoTime() - stopped) / 1_000_000);
                    assertThat(pages(urlB, "", 7)).isEqualTo(pagesA);
                } catch (AssertionError | RuntimeException e) {
                    System.out.println(a.tail());
                    System.out.println(b.tail());
                    throw e;
                }
            }
        }
    }

    /** GET, retrying a 503 (a rebalance) until {@code patience} has passed; any other status but 200 fails. */
    private static HttpResponse<String> get(String url, Duration patience) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return response;
            }
            assertThat(response.statusCode()).as(url + ": " + response.body()).isIn(503, 504);
            assertThat(JSON.readTree(response.body()).get("error").asText()).isIn("NOT_QUERYABLE", "TIMEOUT");
            if (System.nanoTime() > deadline) {
                throw new AssertionError(url + " still " + response.statusCode() + " after " + patience.toSeconds()
                        + " s: " + response.body());
            }
            Thread.sleep(200);
        }
    }

    private static List<List<String>> pages(String base, String prefix, int limit) throws Exception {
        List<List<String>> pages = new ArrayList<>();
        String after = null;
        do {
            String url = base + "/sensors?limit=" + limit + (prefix.isEmpty() ? "" : "&prefix=" + prefix)
                    + (after == null ? "" : "&after=" + PeerClient.encode(after));
            JsonNode body = JSON.readTree(get(url, Duration.ofSeconds(90)).body());
            List<String> page = new ArrayList<>();
            body.get("sensors").forEach(s -> page.add(s.get("sensorId").asText()));
            pages.add(page);
            after = body.get("next").isNull() ? null : body.get("next").asText();
        } while (after != null && pages.size() < 100);
        return pages;
    }

    private static JsonNode withoutServer(JsonNode answer) throws IOException {
        ObjectNode copy = (ObjectNode) JSON.readTree(answer.toString());
        copy.remove("instance");
        copy.remove("servedBy");
        return copy;
    }
}
