package io.sensorcast.bench.service;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An open-loop query load at a fixed rate against one instance's query API: requests are sent on a schedule
 * whatever the answers do, and each latency runs from the request's scheduled time, so a stall shows in the
 * figures instead of slowing the load (no coordinated omission). A share of the requests are listings
 * ({@code GET /sensors?limit=100}), the rest {@code GET /sensors/{id}} of a uniformly drawn workload sensor. While a
 * backlog drains, the partitions progress unevenly, so a sensor is unknown (404, a store lookup all the same) until its
 * partition reaches its first event: a share of 404s is expected and is not a lost sensor.
 */
final class QueryLoad implements AutoCloseable {

    /** What one load measured, per endpoint and outcome ({@code sensor 200}, {@code sensor 404}, {@code list 200}, ...). */
    record Stats(Map<String, List<Long>> latencyNanos, long unanswered, long sent, double seconds) {

        /** The q-quantile (0..1) of an endpoint's latencies in ms, nearest rank; NaN without any. */
        double quantileMs(String endpoint, double q) {
            List<Long> sorted = latencyNanos.getOrDefault(endpoint, List.of());
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            int rank = (int) Math.ceil(q * sorted.size());
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
        }

        int count(String endpoint) {
            return latencyNanos.getOrDefault(endpoint, List.of()).size();
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder(String.format("%,d queries in %.1f s (%.0f/s), %d unanswered", sent,
                    seconds, sent / seconds, unanswered));
            for (String endpoint : latencyNanos.keySet()) {
                s.append(String.format("; %s: %,d, p50 %.2f ms, p99 %.2f ms, max %.1f ms", endpoint, count(endpoint),
                        quantileMs(endpoint, 0.5), quantileMs(endpoint, 0.99), quantileMs(endpoint, 1.0)));
            }
            return s.toString();
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, List<Long>> latencies = new ConcurrentHashMap<>();
    private final Phaser inFlight = new Phaser(1);
    private final Thread sender;
    private final long startedNanos = System.nanoTime();
    private volatile boolean stopped;
    private volatile long sent;
    private long stoppedNanos;
    private long unanswered;

    QueryLoad(int port, double perSecond, int keys, double listShare, long seed) {
        long interval = (long) (1e9 / perSecond);
        SplittableRandom random = new SplittableRandom(seed);
        this.sender = new Thread(() -> {
            long next = System.nanoTime();
            while (!stopped) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    try {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                boolean list = random.nextDouble() < listShare;
                String path = list ? "/sensors?limit=100"
                        : "/sensors/" + URLEncoder.encode(Workload.sensorId(random.nextInt(keys)), StandardCharsets.UTF_8);
                send(port, path, list ? "list" : "sensor", next);
                sent++;
                next += interval;
            }
        }, "query-load");
        sender.setDaemon(true);
    }

    QueryLoad start() {
        sender.start();
        return this;
    }

    private void send(int port, String path, String endpoint, long scheduledNanos) {
        inFlight.register();
        http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, failure) -> {
                    long latency = System.nanoTime() - scheduledNanos;
                    String status = failure != null ? failure.getClass().getSimpleName()
                            : Integer.toString(response.statusCode());
                    // By endpoint and outcome: a known sensor's answer (rendered JSON) costs more than an unknown one's.
                    latencies.computeIfAbsent(endpoint + " " + status,
                            e -> Collections.synchronizedList(new ArrayList<>())).add(latency);
                    inFlight.arriveAndDeregister();
                });
    }

    /** Stops sending, waits (up to 15 s) for the answers outstanding, and returns the figures. */
    Stats stop() {
        if (!stopped) {
            stopped = true;
            stoppedNanos = System.nanoTime();
            sender.interrupt();
            try {
                sender.join(5_000);
                inFlight.awaitAdvanceInterruptibly(inFlight.arrive(), 15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (TimeoutException e) {
                unanswered = inFlight.getUnarrivedParties();
            }
        }
        Map<String, List<Long>> sorted = new TreeMap<>();
        latencies.forEach((endpoint, list) -> {
            List<Long> copy;
            synchronized (list) {
                copy = new ArrayList<>(list);
            }
            Collections.sort(copy);
            sorted.put(endpoint, copy);
        });
        return new Stats(sorted, unanswered, sent, (stoppedNanos - startedNanos) / 1e9);
    }

    @Override
    public void close() {
        stop();
    }
}
