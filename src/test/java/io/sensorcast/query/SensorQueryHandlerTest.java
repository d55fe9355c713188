package io.sensorcast.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.config.QuerySettings;
import io.sensorcast.forecast.Forecast;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SensorQueryHandlerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PipelineConfig CONFIG = PipelineConfigLoader.parse("channels: [temp, humidity]\nhorizon: 3\n");
    private static final QuerySettings SETTINGS = new QuerySettings("", 1500, 50, 2);
    private static final int PARTITIONS = 6;

    private final FakeCluster cluster = new FakeCluster(PARTITIONS);
    private final Sensors sensors = new Sensors(CONFIG);
    private ApiInstance a;
    private ApiInstance b;

    @BeforeEach
    void start() {
        a = new ApiInstance(CONFIG, SETTINGS, cluster);
        b = new ApiInstance(CONFIG, SETTINGS, cluster);
        // A holds the even partitions, B the odd ones; each is the other's standby.
        for (int p = 0; p < PARTITIONS; p++) {
            cluster.assign(p, p % 2 == 0 ? a.self : b.self, p % 2 == 0 ? b.self : a.self);
        }
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
    }

    @Test
    void aSensorIsAnsweredWithItsLatestForecastStatisticsAndErrorsFromItsActiveCopy() throws Exception {
        Sensors.Advanced pump = sensors.advance("pump-7", 40);
        cluster.put("pump-7", pump.state());

        HttpResponse<String> response = a.get("/sensors/pump-7");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("sensorId").asText()).isEqualTo("pump-7");
        assertThat(body.get("servedBy").asText()).isEqualTo("active");
        assertThat(body.get("instance").asText()).isEqualTo(activeOf("pump-7"));
        assertThat(body.get("step").asLong()).isEqualTo(40);
        assertThat(body.get("modelVersion").asLong()).isEqualTo(3);
        assertThat(body.get("lastTimestamp").asText()).isEqualTo("2025-11-24T16:39:00Z");
        assertThat(body.get("cadenceSeconds").asDouble()).isEqualTo(60.0);
        assertThat(body.get("lastValues").get("temp").asDouble()).isEqualTo(pump.state().lastValues[0]);
        assertThat(body.get("normalisation").get("humidity").get("std").asDouble())
                .isEqualTo(pump.state().std(1), within(1e-12));
        assertThat(body.get("anomalyActive").isBoolean()).isTrue();

        Forecast published = pump.last();
        JsonNode forecast = body.get("forecast");
        assertThat(forecast.get("step").asLong()).isEqualTo(published.step());
        assertThat(forecast.get("forecasts")).hasSize(3);
        for (int k = 1; k <= 3; k++) {
            JsonNode point = forecast.get("forecasts").get(k - 1);
            assertThat(point.get("values").get("temp").asDouble()).isEqualTo(published.value(k, 0), within(1e-4));
            assertThat(point.get("quantiles").get("0.1").get("humidity").asDouble())
                    .isEqualTo(published.quantile(0, k, 1), within(1e-4));
        }

        JsonNode error = body.get("error");
        assertThat(error.get("window").asInt()).isEqualTo(CONFIG.forecast().intervalWindow());
        assertThat(error.get("horizons")).hasSize(3);
        JsonNode h1 = error.get("horizons").get(0);
        assertThat(h1.get("mae").get("temp").asDouble()).isPositive();
        assertThat(h1.get("persistenceMae").get("humidity").asDouble()).isPositive();
        // The ring of the last K = 3 steps holds two horizon-1 outcomes and one at horizon 2.
        assertThat(h1.get("recent").get("outcomes").asInt()).isEqualTo(2);
        assertThat(error.get("horizons").get(1).get("recent").get("outcomes").asInt()).isEqualTo(1);
        assertThat(h1.get("recent").get("persistenceMae").get("temp").asDouble()).isPositive();
    }

    @Test
    void eitherInstanceGivesTheSameAnswerForEverySensorForwardingToTheActiveOwner() {
        for (int i = 0; i < 20; i++) {
            String id = "line-" + i;
            cluster.put(id, sensors.advance(id, 5 + i).state());
        }
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> fromA = a.get("/sensors/line-" + i);
            HttpResponse<String> fromB = b.get("/sensors/line-" + i);
            assertThat(fromA.statusCode()).isEqualTo(200);
            assertThat(fromA.body()).isEqualTo(fromB.body());
        }
        assertThat(a.meters.scrape()).contains("sensorcast_query_forwarded_total{target=\"active\"}")
                .doesNotContain("sensorcast_query_forwarded_total{target=\"active\"} 0.0");
    }

    @Test
    void aStandbyAnswersAndSaysSoWhenTheActiveOwnerCannot() throws Exception {
        cluster.put("valve-1", sensors.advance("valve-1", 12).state());
        String owner = activeOf("valve-1");
        ApiInstance other = owner.equals(a.self) ? b : a;
        (owner.equals(a.self) ? a : b).close();

        HttpResponse<String> response = other.get("/sensors/valve-1");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("servedBy").asText()).isEqualTo("standby");
        assertThat(body.get("instance").asText()).isEqualTo(other.self);
        assertThat(body.get("step").asLong()).isEqualTo(12);
    }

    @Test
    void anUnknownSensorIs404WithAJsonError() throws Exception {
        HttpResponse<String> response = a.get("/sensors/never-seen");

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("error").asText()).isEqualTo("UNKNOWN_SENSOR");
        assertThat(body.get("status").asInt()).isEqualTo(404);
        assertThat(body.get("message").asText()).contains("never-seen");
    }

    @Test
    void whileTheStoreIsRebalancingTheAnswerIsA503WithAJsonError() throws Exception {
        cluster.put("s1", sensors.advance("s1", 3).state());
        cluster.rebalancing(true);

        HttpResponse<String> one = a.get("/sensors/s1");
        HttpResponse<String> list = b.get("/sensors");

        assertThat(one.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(one.body()).get("error").asText()).isEqualTo("NOT_QUERYABLE");
        assertThat(list.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(list.body()).get("error").asText()).isEqualTo("NOT_QUERYABLE");
    }

    @Test
    void aListingIsCompleteAcrossInstancesSortedAndItsPagesAreStableFromEitherInstance() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 137; i++) {
            // Ids beyond U+FFFF sort after U+E000..U+FFFF in the store's UTF-8 order, unlike String.compareTo.
            String id = (i % 3 == 0 ? "meter-" : "pump-") + i + (i == 7 ? "\uD83D\uDE00" : i == 8 ? "\uFF01" : "");
            ids.add(id);
            cluster.put(id, sensors.advance(id, 2).state());
        }
        ids.sort(SensorIdOrder.COMPARATOR);

        List<String> fromA = listAll(a, "", 17);
        List<String> fromB = listAll(b, "", 17);

        assertThat(fromA).containsExactlyElementsOf(ids);
        assertThat(fromB).containsExactlyElementsOf(ids);
        assertThat(listAll(b, "meter-", 10)).containsExactlyElementsOf(
                ids.stream().filter(id -> id.startsWith("meter-")).toList());
        assertThat(listAll(a, "nothing", 10)).isEmpty();
    }

    @Test
    void anInstanceHoldingOnlyStandbysListsAndAnswersLikeTheOthers() throws Exception {
        try (ApiInstance c = new ApiInstance(CONFIG, SETTINGS, cluster)) {
            for (int p = 0; p < PARTITIONS; p++) {
                cluster.assign(p, p % 2 == 0 ? a.self : b.self, c.self);
            }
            for (int i = 0; i < 30; i++) {
                cluster.put("t" + i, sensors.advance("t" + i, 2).state());
            }
            List<String> all = listAll(a, "", 50);

            assertThat(all).hasSize(30);
            assertThat(listAll(c, "", 7)).isEqualTo(all);
            assertThat(c.get("/sensors/t3").body()).isEqualTo(a.get("/sensors/t3").body());
        }
    }

    @Test
    void theDefaultPageIsAHundredCappedByTheMaximumAndTheLastPageHasNoNext() throws Exception {
        for (int i = 0; i < 60; i++) {
            cluster.put(String.format("s%02d", i), sensors.advance("s" + i, 1).state());
        }
        HttpResponse<String> response = a.get("/sensors");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode first = JSON.readTree(response.body());
        assertThat(first.get("limit").asInt()).isEqualTo(50);
        assertThat(first.get("sensors")).hasSize(50);
        assertThat(first.get("next").asText()).isEqualTo("s49");
        JsonNode last = JSON.readTree(a.get("/sensors?after=s49").body());
        assertThat(last.get("sensors")).hasSize(10);
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(last.get("sensors").get(0).get("sensorId").asText()).isEqualTo("s50");
        assertThat(last.get("sensors").get(0).get("step").asLong()).isEqualTo(1);
        assertThat(last.get("sensors").get(0).has("lastTimestamp")).isTrue();
    }

    @Test
    void hostileRequestsGetClear4xxJsonAnswersAndNeverAStackTrace() throws Exception {
        cluster.put("ok", sensors.advance("ok", 2).state());
        Map<String, String> expected = new TreeMap<>();
        expected.put("/sensors/" + "x".repeat(257), "400 INVALID_SENSOR_ID");
        expected.put("/sensors/" + "%41".repeat(5000), "400 INVALID_SENSOR_ID");
        expected.put("/sensors/..%2F..%2Fetc%2Fpasswd", "404 UNKNOWN_SENSOR");
        expected.put("/sensors/..", "404 UNKNOWN_SENSOR");
        expected.put("/sensors/a/b", "404 NO_SUCH_ENDPOINT");
        expected.put("/sensors/ok/", "404 NO_SUCH_ENDPOINT");
        expected.put("/sensors%2F..%2Fmetrics", "404 NO_SUCH_ENDPOINT");
        expected.put("/sensorsx", "404 NO_SUCH_ENDPOINT");
        expected.put("/nothing/here", "404 NO_SUCH_ENDPOINT");
        expected.put("/sensors/%00", "400 INVALID_SENSOR_ID");
        expected.put("/sensors/%20%20", "400 INVALID_SENSOR_ID");
        expected.put("/sensors/ok%0Aevil", "400 INVALID_SENSOR_ID");
        expected.put("/sensors/%C3%28", "400 BAD_ENCODING");
        expected.put("/sensors/%C0%AE%C0%AE%2F", "400 BAD_ENCODING");
        expected.put("/sensors/%ED%A0%80", "400 BAD_ENCODING");
        expected.put("/sensors/ok?debug=1", "400 UNKNOWN_PARAMETER");
        expected.put("/sensors?limit=0", "400 INVALID_LIMIT");
        expected.put("/sensors?limit=-5", "400 INVALID_LIMIT");
        expected.put("/sensors?limit=51", "400 INVALID_LIMIT");
        expected.put("/sensors?limit=99999999999999999999", "400 INVALID_LIMIT");
        expected.put("/sensors?limit=1e3", "400 INVALID_LIMIT");
        expected.put("/sensors?limit=", "400 INVALID_LIMIT");
        expected.put("/sensors?limit=10&limit=20", "400 REPEATED_PARAMETER");
        expected.put("/sensors?offset=10", "400 UNKNOWN_PARAMETER");
        expected.put("/sensors?prefix=pump&after=meter-1", "400 INVALID_AFTER");
        expected.put("/sensors?after=%00", "400 INVALID_AFTER");
        expected.put("/sensors?after=" + "y".repeat(300), "400 INVALID_AFTER");
        expected.put("/sensors?prefix=" + "y".repeat(300), "400 INVALID_PREFIX");
        expected.put("/sensors?prefix=%07", "400 INVALID_PREFIX");
        expected.put("/sensors?prefix=%FF", "400 BAD_ENCODING");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            HttpResponse<String> response = a.get(e.getKey());
            JsonNode body = JSON.readTree(response.body());
            assertThat(response.statusCode() + " " + body.path("error").asText()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(body.get("message").asText()).as(e.getKey()).isNotBlank().doesNotContain("Exception")
                    .doesNotContain("\tat ");
        }
        HttpResponse<String> post = a.send("POST", "/sensors/ok");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(a.send("DELETE", "/sensors").statusCode()).isEqualTo(405);
        assertThat(a.get("/sensors/ok").statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void requestsTheJdkServerCannotParseAreRefusedWithA4xxAndTheApiKeepsServing() throws Exception {
        cluster.put("ok", sensors.advance("ok", 2).state());
        for (String target : List.of("/sensors/%zz", "/sensors/a b", "/sensors/\u00e9t\u00e9", "/sensors/<script>")) {
            String status = rawStatusLine(a.server.port(), target);
            assertThat(status).as(target).matches("HTTP/1\\.1 4\\d\\d .*");
        }
        assertThat(a.get("/sensors/ok").statusCode()).isEqualTo(200);
    }

    @Test
    void aForwardedCallThatNeverAnswersEndsInA504WithinTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            Thread acceptor = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // closing anyway
                        }
                    });
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String ghost = "127.0.0.1:" + silent.getLocalPort();
            cluster.put("far", sensors.advance("far", 2).state());
            cluster.assign(cluster.partitionOf("far"), ghost, null);

            long started = System.nanoTime();
            HttpResponse<String> one = a.get("/sensors/far");
            long ms = (System.nanoTime() - started) / 1_000_000;
            HttpResponse<String> list = a.get("/sensors");

            assertThat(one.statusCode()).as(one.body()).isEqualTo(504);
            assertThat(JSON.readTree(one.body()).get("error").asText()).isEqualTo("TIMEOUT");
            assertThat(ms).isBetween(1_400L, 5_000L);
            assertThat(list.statusCode()).isEqualTo(504);
            assertThat(JSON.readTree(list.body()).get("message").asText()).contains(ghost);

            // With a standby, the hung owner gets half the time and the standby answers within the timeout.
            cluster.assign(cluster.partitionOf("far"), ghost, a.self);
            started = System.nanoTime();
            HttpResponse<String> fromStandby = b.get("/sensors/far");
            assertThat(fromStandby.statusCode()).as(fromStandby.body()).isEqualTo(200);
            assertThat(JSON.readTree(fromStandby.body()).get("servedBy").asText()).isEqualTo("standby");
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(700L, 3_000L);
        }
    }

    @Test
    void requestsAreCountedByEndpointAndStatus() {
        cluster.put("ok", sensors.advance("ok", 2).state());
        a.get("/sensors/ok");
        a.get("/sensors/nope");
        a.get("/sensors?limit=0");
        a.get("/sensors");

        String scrape = a.meters.scrape();
        assertThat(scrape).contains("sensorcast_query_duration_seconds_count{endpoint=\"sensor\",status=\"200\"} 1");
        assertThat(scrape).contains("sensorcast_query_duration_seconds_count{endpoint=\"sensor\",status=\"404\"} 1");
        assertThat(scrape).contains("sensorcast_query_duration_seconds_count{endpoint=\"sensors\",status=\"400\"} 1");
        assertThat(scrape).contains("sensorcast_query_duration_seconds_count{endpoint=\"sensors\",status=\"200\"} 1");
    }

    private String activeOf(String id) {
        return cluster.view(a.self).ownerOf(id).active();
    }

    private static List<String> listAll(ApiInstance instance, String prefix, int limit) throws IOException {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int page = 0; page < 1000; page++) {
            String query = "/sensors?limit=" + limit + (prefix.isEmpty() ? "" : "&prefix=" + PeerClient.encode(prefix))
                    + (after == null ? "" : "&after=" + PeerClient.encode(after));
            HttpResponse<String> response = instance.get(query);
            assertThat(response.statusCode()).as(query).isEqualTo(200);
            JsonNode body = JSON.readTree(response.body());
            assertThat(body.get("sensors").size()).isLessThanOrEqualTo(limit);
            body.get("sensors").forEach(s -> ids.add(s.get("sensorId").asText()));
            if (body.get("next").isNull()) {
                return ids;
            }
            after = body.get("next").asText();
        }
        throw new AssertionError("the listing never ended");
    }

    /** Sends {@code GET target} byte for byte, bypassing java.net.URI's checks; returns the status line. */
    private static String rawStatusLine(int port, String target) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return response.lines().findFirst().orElse("");
        }
    }
}
