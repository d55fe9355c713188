package io.sensorcast.bench.service;

import io.sensorcast.demo.EmbeddedKafkaBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The query API under load beside serving: drains a preloaded, seeded workload with the shipped forecaster on the
 * in-process KRaft broker, alternately without queries and with an open-loop query load at a fixed rate
 * ({@code GET /sensors/{id}} of random workload sensors, a share of {@code GET /sensors?limit=100} listings) for
 * the whole drain. Prints every run, the median events/s of each and their ratio, and the query latency (p50,
 * p99, max, from each request's scheduled time) per endpoint and outcome (200, 404, ...) over all loaded runs.
 *
 * <pre>
 * src/bench/run io.sensorcast.bench.service.QueryLoadBench --events 500000 --keys 1000 --rate 200 --reps 3
 * </pre>
 */
public final class QueryLoadBench {

    private static final Set<String> FLAGS = Set.of("events", "keys", "reps", "rate", "list-share", "partitions", "seed",
            "guarantee", "commit-ms", "timeout-s");

    private QueryLoadBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, FLAGS);
        int events = args.integer("events", 500_000);
        int keys = args.integer("keys", 1000);
        int reps = args.integer("reps", 3);
        double rate = Double.parseDouble(args.string("rate", "200"));
        double listShare = Double.parseDouble(args.string("list-share", "0.05"));
        int partitions = args.integer("partitions", 4);
        long seed = args.integer("seed", 42);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("processing.guarantee", args.string("guarantee", "exactly_once_v2"));
        overrides.put("commit.interval.ms", args.string("commit-ms", "100"));
        Duration timeout = Duration.ofSeconds(args.integer("timeout-s", 3600));

        System.out.printf("workload: %,d events over %,d keys, seed %d, %d partitions, %s, commit.interval.ms=%s; "
                        + "query load %.0f/s (%.0f %% listings), %d repetitions alternating; JVM %s, max heap %d MiB, "
                        + "%d CPUs%n", events, keys, seed, partitions, overrides.get("processing.guarantee"),
                overrides.get("commit.interval.ms"), rate, 100 * listShare, reps, System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        List<DrainResult> quiet = new ArrayList<>();
        List<DrainResult> loaded = new ArrayList<>();
        List<QueryLoad.Stats> stats = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(partitions);
             BenchKafka kafka = new BenchKafka(broker.bootstrapServers())) {
            Workload workload = new Workload(events, keys, seed);
            String topic = "bench-query-events-" + keys;
            kafka.createTopic(topic, partitions, Map.of());
            long ms = workload.preload(broker.bootstrapServers(), topic);
            System.out.printf("preloaded %,d events over %,d keys into %s in %.1f s%n", events, keys, topic, ms / 1e3);
            DrainRun drain = new DrainRun(kafka, topic, partitions, overrides, "training: {enabled: false}\n");
            for (int rep = 1; rep <= reps; rep++) {
                // ABBA order: neither variant always runs first (a warmer JVM, a fuller page cache).
                boolean loadedFirst = rep % 2 == 0;
                for (int i = 0; i < 2; i++) {
                    boolean withQueries = (i == 0) == loadedFirst;
                    if (withQueries) {
                        QueryLoad[] load = new QueryLoad[1];
                        long loadSeed = seed + rep;
                        DrainResult r = drain.run(Variant.FORECASTER, StateCache.OFF, workload, 2 * rep, timeout,
                                port -> load[0] = new QueryLoad(port, rate, keys, listShare, loadSeed).start());
                        QueryLoad.Stats s = load[0].stop();
                        System.out.println("with queries: " + r + "\n  " + s);
                        loaded.add(r);
                        stats.add(s);
                    } else {
                        DrainResult r = drain.run(Variant.FORECASTER, workload, 2 * rep - 1, timeout);
                        System.out.println("no queries:   " + r);
                        quiet.add(r);
                    }
                }
            }
            kafka.deleteTopics(Set.of(topic), topic);
        }
        summarise(quiet, loaded, stats, rate);
        System.exit(0);
    }

    private static void summarise(List<DrainResult> quiet, List<DrainResult> loaded, List<QueryLoad.Stats> stats,
                                  double rate) {
        double quietMedian = Medians.median(quiet.stream().map(DrainResult::eventsPerSecond).toList());
        double loadedMedian = Medians.median(loaded.stream().map(DrainResult::eventsPerSecond).toList());
        System.out.println();
        System.out.println("| variant | events/s per run | median events/s | ratio to no queries |");
        System.out.println("|---|---|---|---|");
        System.out.printf("| no queries | %s | %,.0f | 1.00 |%n", rates(quiet), quietMedian);
        System.out.printf("| %.0f queries/s | %s | %,.0f | %.2f |%n", rate, rates(loaded), loadedMedian,
                loadedMedian / quietMedian);
        System.out.println();
        System.out.println("| endpoint and outcome | queries | p50 ms | p99 ms | max ms |");
        System.out.println("|---|---|---|---|---|");
        Map<String, List<Long>> pooled = new TreeMap<>();
        long sent = 0;
        long unanswered = 0;
        double seconds = 0;
        for (QueryLoad.Stats s : stats) {
            s.latencyNanos().forEach((e, l) -> pooled.computeIfAbsent(e, x -> new ArrayList<>()).addAll(l));
            sent += s.sent();
            unanswered += s.unanswered();
            seconds += s.seconds();
        }
        pooled.values().forEach(Collections::sort);
        QueryLoad.Stats all = new QueryLoad.Stats(pooled, unanswered, sent, seconds);
        for (String endpoint : pooled.keySet()) {
            System.out.printf("| %s | %,d | %.2f | %.2f | %.1f |%n", endpoint, all.count(endpoint),
                    all.quantileMs(endpoint, 0.5), all.quantileMs(endpoint, 0.99), all.quantileMs(endpoint, 1.0));
        }
        System.out.printf("offered %,d queries in %.1f s of loaded drains (%.0f/s); %d unanswered%n", sent, seconds,
                sent / seconds, unanswered);
    }

    private static String rates(List<DrainResult> runs) {
        return String.join(", ", runs.stream().map(r -> String.format("%,.0f", r.eventsPerSecond())).toList());
    }
}
