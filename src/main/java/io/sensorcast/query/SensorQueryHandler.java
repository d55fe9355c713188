package io.sensorcast.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.sensorcast.config.QuerySettings;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.metrics.QueryMetrics;
import io.sensorcast.state.SensorState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /sensors/{id}} and {@code GET /sensors} (docs/openapi.yaml): validates the request, answers from this
 * instance's copy of the store or forwards to the instance that holds the sensor, and for a listing asks every
 * instance for its partitions and merges their pages. Requests run on a small pool with a bounded queue, off the
 * HTTP server's threads, so a burst of queries never delays {@code /metrics} or the health checks.
 */
public final class SensorQueryHandler implements HttpHandler, AutoCloseable {

    /** The path this handler serves. */
    public static final String PATH = "/sensors";
    /** On a forwarded single-sensor request: answer from this instance's copy only, {@code active} or {@code standby}. */
    static final String COPY_HEADER = "X-Sensorcast-Copy";
    /** On a forwarded listing: list only these partitions of this instance's active copies. */
    static final String PARTITIONS_HEADER = "X-Sensorcast-Partitions";
    /** Page size when the request gives none (or the maximum, when that is smaller). */
    static final int DEFAULT_LIMIT = 100;
    /** The endpoints served, by the name their metrics carry: what docs/openapi.yaml documents (a test checks). */
    static final Map<String, String> ENDPOINTS = Map.of("sensor", PATH + "/{id}", "sensors", PATH);
    /** The parameters of GET /sensors. */
    static final Set<String> LIST_PARAMETERS = Set.of("prefix", "limit", "after");
    private static final Logger LOG = LoggerFactory.getLogger(SensorQueryHandler.class);

    private final StoreAccess store;
    private final PeerClient peers;
    private final SensorView view;
    private final QuerySettings settings;
    private final int maxIdLength;
    private final QueryMetrics metrics;
    private final ThreadPoolExecutor pool;

    /** @param maxIdLength the longest sensor id the service accepts (limits.maxSensorIdLength) */
    public SensorQueryHandler(StoreAccess store, PeerClient peers, SensorView view, QuerySettings settings,
                              int maxIdLength, QueryMetrics metrics) {
        this.store = store;
        this.peers = peers;
        this.view = view;
        this.settings = settings;
        this.maxIdLength = maxIdLength;
        this.metrics = metrics;
        AtomicInteger threads = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(64 * settings.threads()), r -> {
                    Thread t = new Thread(r, "sensorcast-query-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    @Override
    public void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        try {
            pool.execute(() -> answer(exchange, start));
        } catch (RejectedExecutionException e) {
            send(exchange, endpointOf(exchange.getRequestURI().getRawPath()), error(503, "OVERLOADED", "too many queries waiting; retry shortly"),
                    start);
        }
    }

    private void answer(HttpExchange exchange, long start) {
        String endpoint = endpointOf(exchange.getRequestURI().getRawPath());
        long deadline = start + TimeUnit.MILLISECONDS.toNanos(settings.timeoutMs());
        Answer answer;
        try {
            answer = route(exchange, endpoint, deadline);
        } catch (QueryException e) {
            answer = error(e.status(), e.code(), e.getMessage());
        } catch (NotQueryableException e) {
            answer = error(503, "NOT_QUERYABLE", e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Query {} failed", exchange.getRequestURI().getRawPath(), e);
            answer = error(500, "INTERNAL", "the query failed on " + store.self() + " (" + e.getClass().getSimpleName()
                    + "); see its log");
        }
        send(exchange, endpoint, answer, start);
    }

    /** Which of {@link #ENDPOINTS} a raw path asks for, or {@code other}. */
    static String endpointOf(String path) {
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            return "sensors";
        }
        return path.startsWith(PATH + "/") && path.indexOf('/', PATH.length() + 1) < 0 ? "sensor" : "other";
    }

    private Answer route(HttpExchange exchange, String endpoint, long deadline) {
        String method = exchange.getRequestMethod();
        if (endpoint.equals("other")) {
            throw new QueryException(404, "NO_SUCH_ENDPOINT", "no endpoint at this path; see GET /sensors and"
                    + " GET /sensors/{id}");
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            throw new QueryException(405, "METHOD_NOT_ALLOWED", "only GET and HEAD are served here, not "
                    + UriText.quoted(method));
        }
        String rawQuery = exchange.getRequestURI().getRawQuery();
        if (endpoint.equals("sensor")) {
            UriText.parameters(rawQuery, Set.of());
            String raw = exchange.getRequestURI().getRawPath().substring(PATH.length() + 1);
            return sensor(sensorId(raw), exchange.getRequestHeaders().getFirst(COPY_HEADER), deadline);
        }
        Map<String, String> parameters = UriText.parameters(rawQuery, LIST_PARAMETERS);
        return list(parameters, exchange.getRequestHeaders().getFirst(PARTITIONS_HEADER), deadline);
    }

    private String sensorId(String raw) {
        // An id has at most maxIdLength code points of at most 4 UTF-8 bytes, each at most 3 characters escaped.
        if (raw.length() > 12L * maxIdLength) {
            throw new QueryException(400, "INVALID_SENSOR_ID", "the sensor id is longer than the limit of "
                    + maxIdLength + " characters");
        }
        String id = UriText.decode(raw, false, "the sensor id");
        String problem = EventParser.sensorIdProblem(id, maxIdLength);
        if (problem != null) {
            throw new QueryException(400, "INVALID_SENSOR_ID", problem);
        }
        return id;
    }

    // ---- GET /sensors/{id}

    private Answer sensor(String id, String copyHeader, long deadline) {
        StoreAccess.Owner owner = store.ownerOf(id);
        if (copyHeader != null) {
            StoreAccess.Copy copy = switch (copyHeader) {
                case "active" -> StoreAccess.Copy.ACTIVE;
                case "standby" -> StoreAccess.Copy.STANDBY;
                default -> throw new QueryException(400, "BAD_HEADER", COPY_HEADER + " must be active or standby");
            };
            return local(id, owner.partition(), copy);
        }
        List<String> failures = new ArrayList<>();
        boolean timedOut = false;
        Map<String, StoreAccess.Copy> candidates = new LinkedHashMap<>();
        candidates.put(owner.active(), StoreAccess.Copy.ACTIVE);
        owner.standbys().forEach(s -> candidates.putIfAbsent(s, StoreAccess.Copy.STANDBY));
        int left = candidates.size();
        for (Map.Entry<String, StoreAccess.Copy> candidate : candidates.entrySet()) {
            String server = candidate.getKey();
            StoreAccess.Copy copy = candidate.getValue();
            long now = System.nanoTime();
            if (now >= deadline) {
                break;
            }
            // An owner that hangs may take half the time left while a standby remains, not all of it.
            long attemptDeadline = left-- > 1 ? now + (deadline - now) / 2 : deadline;
            if (server.equals(store.self())) {
                try {
                    return local(id, owner.partition(), copy);
                } catch (NotQueryableException e) {
                    failures.add(e.getMessage());
                    continue;
                }
            }
            String label = copy == StoreAccess.Copy.ACTIVE ? "active" : "standby";
            metrics.forwarded(label);
            try {
                HttpResponse<byte[]> response = peers.get(server, PATH + "/" + PeerClient.encode(id),
                        Map.of(COPY_HEADER, label), attemptDeadline).get(remainingMs(attemptDeadline), TimeUnit.MILLISECONDS);
                if (response.statusCode() == 200 || response.statusCode() == 404) {
                    return new Answer(response.statusCode(), response.body());
                }
                failures.add(server + " answered " + response.statusCode() + ": " + messageOf(response.body()));
            } catch (TimeoutException | ExecutionException e) {
                // The wait is cut to whole milliseconds, so it may end a fraction before the deadline: a timeout all the same.
                timedOut |= e instanceof TimeoutException || e.getCause() instanceof HttpTimeoutException;
                failures.add(server + " did not answer (" + causeOf(e) + ")");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (timedOut || System.nanoTime() >= deadline) {
            throw new QueryException(504, "TIMEOUT", "no copy of partition " + owner.partition() + " answered within "
                    + settings.timeoutMs() + " ms: " + String.join("; ", failures));
        }
        throw new NotQueryableException("no copy of partition " + owner.partition() + " can answer now (rebalancing?): "
                + String.join("; ", failures));
    }

    private Answer local(String id, int partition, StoreAccess.Copy copy) {
        Optional<SensorState> state = store.read(id, partition, copy);
        if (state.isEmpty()) {
            return error(404, "UNKNOWN_SENSOR", "no sensor " + UriText.quoted(id) + " is known");
        }
        return new Answer(200, json(view.full(id, state.get(), copy, store.self())));
    }

    // ---- GET /sensors

    private Answer list(Map<String, String> parameters, String partitionsHeader, long deadline) {
        // A forwarded listing asks for one more than a page (see below).
        int limit = limit(parameters.get("limit"), settings.maxPageSize() + (partitionsHeader != null ? 1 : 0));
        String prefix = parameters.getOrDefault("prefix", "");
        int prefixLength = prefix.codePointCount(0, prefix.length());
        if (prefixLength > maxIdLength) {
            throw new QueryException(400, "INVALID_PREFIX", "prefix is " + prefixLength
                    + " characters long, above the limit of " + maxIdLength);
        }
        // A prefix is the start of an id, and may be blank: checked as an id with one more character after it.
        String prefixProblem = prefix.isEmpty() ? null : EventParser.sensorIdProblem(prefix + "x", maxIdLength + 1);
        if (prefixProblem != null) {
            throw new QueryException(400, "INVALID_PREFIX", prefixProblem.replace("sensorId", "prefix"));
        }
        String after = parameters.get("after");
        if (after != null) {
            String problem = EventParser.sensorIdProblem(after, maxIdLength);
            if (problem != null) {
                throw new QueryException(400, "INVALID_AFTER", problem.replace("sensorId", "after"));
            }
            if (!after.startsWith(prefix)) {
                throw new QueryException(400, "INVALID_AFTER", "after " + UriText.quoted(after)
                        + " does not start with the prefix " + UriText.quoted(prefix)
                        + "; pass the next cursor of the previous page with the same prefix");
            }
        }
        if (partitionsHeader != null) {
            return new Answer(200, json(page(store.list(partitions(partitionsHeader), prefix, after, limit))));
        }
        Map<String, Set<Integer>> byServer = store.activePartitions();
        int count = store.partitionCount();
        Set<Integer> covered = new TreeSet<>();
        byServer.values().forEach(covered::addAll);
        if (count == 0 || covered.size() < count) {
            Set<Integer> missing = new TreeSet<>();
            for (int p = 0; p < count; p++) {
                if (!covered.contains(p)) {
                    missing.add(p);
                }
            }
            throw new NotQueryableException(count == 0 ? "the stream has not started yet"
                    : "partitions " + missing + " have no active instance now (rebalancing)");
        }
        // Every instance is asked for one more than a page: if the merge holds more than a page, there is a next.
        Map<String, CompletableFuture<HttpResponse<byte[]>>> calls = new TreeMap<>();
        List<JsonNode> merged = new ArrayList<>();
        for (Map.Entry<String, Set<Integer>> e : byServer.entrySet()) {
            if (e.getKey().equals(store.self()) || e.getValue().isEmpty()) {
                continue;
            }
            metrics.forwarded("list");
            calls.put(e.getKey(), peers.get(e.getKey(), PATH + listQuery(prefix, after, limit + 1),
                    Map.of(PARTITIONS_HEADER, join(e.getValue())), deadline));
        }
        if (!byServer.getOrDefault(store.self(), Set.of()).isEmpty()) {
            merged.addAll(page(store.list(byServer.get(store.self()), prefix, after, limit + 1)).withArray("sensors")
                    .valueStream().toList());
        }
        for (Map.Entry<String, CompletableFuture<HttpResponse<byte[]>>> call : calls.entrySet()) {
            merged.addAll(sensorsOf(call.getKey(), call.getValue(), deadline));
        }
        merged.sort((a, b) -> SensorIdOrder.COMPARATOR.compare(a.get("sensorId").asText(), b.get("sensorId").asText()));
        ObjectNode root = SensorView.JSON.createObjectNode();
        ArrayNode sensors = root.putArray("sensors");
        String last = null;
        for (JsonNode s : merged) {
            String id = s.get("sensorId").asText();
            if (id.equals(last)) {
                continue;
            }
            if (sensors.size() == limit) {
                break;
            }
            sensors.add(s);
            last = id;
        }
        boolean more = merged.stream().map(s -> s.get("sensorId").asText()).distinct().count() > limit;
        if (more) {
            root.put("next", last);
        } else {
            root.putNull("next");
        }
        root.put("limit", limit);
        return new Answer(200, json(root));
    }

    private static int limit(String text, int max) {
        if (text == null) {
            return Math.min(DEFAULT_LIMIT, max);
        }
        if (!text.matches("[0-9]{1,9}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > max) {
            throw new QueryException(400, "INVALID_LIMIT", "limit " + UriText.quoted(text)
                    + " is not allowed; allowed: a whole number 1.." + max);
        }
        return Integer.parseInt(text);
    }

    private Set<Integer> partitions(String header) {
        Set<Integer> partitions = new TreeSet<>();
        if (!header.matches("[0-9]{1,6}(,[0-9]{1,6}){0,9999}")) {
            throw new QueryException(400, "BAD_HEADER", PARTITIONS_HEADER + " must be a comma-separated list of partitions");
        }
        for (String p : header.split(",")) {
            partitions.add(Integer.parseInt(p));
        }
        return partitions;
    }

    private ObjectNode page(List<Map.Entry<String, SensorState>> entries) {
        ObjectNode root = SensorView.JSON.createObjectNode();
        ArrayNode sensors = root.putArray("sensors");
        entries.forEach(e -> sensors.add(view.summary(e.getKey(), e.getValue())));
        return root;
    }

    private List<JsonNode> sensorsOf(String server, CompletableFuture<HttpResponse<byte[]>> call, long deadline) {
        try {
            HttpResponse<byte[]> response = call.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            if (response.statusCode() != 200) {
                throw new NotQueryableException("instance " + server + " could not list its sensors (" + response.statusCode()
                        + ": " + messageOf(response.body()) + ")");
            }
            return SensorView.JSON.readTree(response.body()).withArray("sensors").valueStream().toList();
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new QueryException(504, "TIMEOUT", "instance " + server + " did not list its sensors within "
                    + settings.timeoutMs() + " ms");
        } catch (ExecutionException | IOException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                throw new QueryException(504, "TIMEOUT", "instance " + server + " did not list its sensors within "
                        + settings.timeoutMs() + " ms");
            }
            throw new NotQueryableException("instance " + server + " could not list its sensors (" + causeOf(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotQueryableException("interrupted while listing");
        }
    }

    private static String listQuery(String prefix, String after, int limit) {
        StringBuilder q = new StringBuilder("?limit=").append(limit);
        if (!prefix.isEmpty()) {
            q.append("&prefix=").append(PeerClient.encode(prefix));
        }
        if (after != null) {
            q.append("&after=").append(PeerClient.encode(after));
        }
        return q.toString();
    }

    private static String join(Collection<Integer> partitions) {
        return String.join(",", partitions.stream().map(String::valueOf).toList());
    }

    private static long remainingMs(long deadline) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static String causeOf(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return cause instanceof HttpTimeoutException || e instanceof TimeoutException ? "timed out"
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static String messageOf(byte[] body) {
        try {
            JsonNode message = SensorView.JSON.readTree(body).get("message");
            return message == null ? "no message" : message.asText();
        } catch (IOException e) {
            return "an answer that is not JSON";
        }
    }

    // ---- responses

    /** A status and its JSON body. */
    private record Answer(int status, byte[] body) {
    }

    private static Answer error(int status, String code, String message) {
        ObjectNode root = SensorView.JSON.createObjectNode();
        root.put("status", status);
        root.put("error", code);
        root.put("message", message);
        return new Answer(status, json(root));
    }

    private static byte[] json(ObjectNode node) {
        try {
            return SensorView.JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    private void send(HttpExchange exchange, String endpoint, Answer answer, long start) {
        try (exchange) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if ("HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(answer.status(), -1);
            } else {
                exchange.sendResponseHeaders(answer.status(), answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            }
        } catch (IOException e) {
            LOG.debug("Could not send a query answer (the client went away?)", e);
        } finally {
            metrics.answered(endpoint, answer.status(), System.nanoTime() - start);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
