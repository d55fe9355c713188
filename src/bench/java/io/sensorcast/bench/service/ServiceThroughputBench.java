package io.sensorcast.bench.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Service throughput on an embedded KRaft broker: preloads a fixed, seeded workload per key count, then
 * drains it with each variant in turn (alternating, repeated) and prints every run, the median events per
 * second of each variant, its ratio to the first variant listed, and the cores used during the drains.
 *
 * <p>{@code --broker in-process} (the default) runs the broker in this JVM, so the CPU time printed is the
 * service's and the broker's together. {@code --broker child} runs it in a JVM of its own (options from
 * {@code --broker-java-opts}, default {@code -Xmx1g}), so this JVM's CPU time is the service's (plus the
 * harness's offset polling), and each drain prints the cores used by each process: CPU seconds over wall seconds.
 *
 * <p>{@code --state-cache off,on} drains each variant without the state store's record cache (the service's
 * default, {@code statestore.cache.max.bytes=0}) and with it ({@code statestore.cache.max.bytes=10485760}, Kafka
 * Streams' own default size), in alternating order from one repetition to the next. Every drain prints the
 * records sent to the state store's changelog.
 *
 * <pre>
 * src/bench/run io.sensorcast.bench.service.ServiceThroughputBench --events 1000000 --keys 1000,100000 --reps 3
 * src/bench/run io.sensorcast.bench.service.ServiceThroughputBench --broker child --events 500000 --reps 5
 * src/bench/run io.sensorcast.bench.service.ServiceThroughputBench --variants forecaster,training ...
 * </pre>
 */
public final class ServiceThroughputBench {

    private static final Set<String> FLAGS = Set.of("events", "keys", "reps", "variants", "partitions", "seed",
            "guarantee", "commit-ms", "train-every", "timeout-s", "broker", "broker-java-opts", "state-cache");

    private ServiceThroughputBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, FLAGS);
        int events = args.integer("events", 100_000);
        List<Integer> keyCounts = args.list("keys", "1000").stream().map(Integer::parseInt).toList();
        int reps = args.integer("reps", 3);
        List<Variant> variants = args.list("variants", "baseline,forecaster").stream().map(Variant::of).toList();
        List<StateCache> caches = args.list("state-cache", "off").stream().map(StateCache::of).toList();
        List<StateCache> reversedCaches = new ArrayList<>(caches);
        Collections.reverse(reversedCaches);
        int partitions = args.integer("partitions", 4);
        long seed = args.integer("seed", 42);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("processing.guarantee", args.string("guarantee", "exactly_once_v2"));
        overrides.put("commit.interval.ms", args.string("commit-ms", "100"));
        // Trains back to back: a round as soon as this many new steps arrived, never by time.
        String trainingYaml = "training: {enabled: true, everySamples: " + args.integer("train-every", 1000)
                + ", everySeconds: 0}\n";
        Duration timeout = Duration.ofSeconds(args.integer("timeout-s", 3600));
        String brokerWhere = args.string("broker", "in-process");
        List<String> brokerJavaOpts = List.of(args.string("broker-java-opts", "-Xmx1g").trim().split("\\s+"));

        System.out.printf("workload: %,d events, keys %s, seed %d, %d partitions, %s, commit.interval.ms=%s, "
                        + "variants %s, state cache %s, %d repetitions; JVM %s, max heap %d MiB, %d CPUs%n", events,
                keyCounts, seed, partitions, overrides.get("processing.guarantee"), overrides.get("commit.interval.ms"),
                variants, caches, reps,
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        List<DrainResult> results = new ArrayList<>();
        try (BenchBroker broker = BenchBroker.start(brokerWhere, partitions, brokerJavaOpts);
             BenchKafka kafka = new BenchKafka(broker.bootstrapServers())) {
            System.out.println(broker.describe());
            CpuMeter cpu = new CpuMeter(broker.process());
            for (int keys : keyCounts) {
                Workload workload = new Workload(events, keys, seed);
                String topic = "bench-events-" + keys;
                kafka.createTopic(topic, partitions, Map.of());
                long ms = workload.preload(broker.bootstrapServers(), topic);
                System.out.printf("preloaded %,d events over %,d keys into %s in %.1f s%n", events, keys, topic, ms / 1e3);
                DrainRun drain = new DrainRun(kafka, topic, partitions, overrides, trainingYaml, cpu);
                for (int rep = 1; rep <= reps; rep++) {
                    for (Variant variant : variants) {
                        // Odd repetitions run the settings in the order given, even ones reversed, so neither
                        // always runs first (colder JIT, the previous drain's compaction on the broker).
                        for (StateCache cache : rep % 2 == 1 ? caches : reversedCaches) {
                            DrainResult r = drain.run(variant, cache, workload, rep, timeout);
                            System.out.println(r);
                            results.add(r);
                        }
                    }
                }
                kafka.deleteTopics(Set.of(topic), topic);
            }
        }
        summarise(results, keyCounts, variants, caches);
        // The trainer's ND4J threads and Kafka's daemon threads can outlive close(); the run is over.
        System.exit(0);
    }

    /**
     * One row per key count, variant and cache setting: the runs' events/s, their median, its ratio to the first
     * variant's with the same cache setting and (with several settings) to the first setting's of the same variant,
     * state changelog records per event, and the median cores used.
     */
    private static void summarise(List<DrainResult> results, List<Integer> keyCounts, List<Variant> variants,
                                  List<StateCache> caches) {
        System.out.println();
        boolean separate = results.stream().allMatch(r -> r.cpu().brokerSeparate());
        boolean compareCaches = caches.size() > 1;
        System.out.println("| keys | variant | state cache | events/s per run | median events/s | ratio to "
                + variants.get(0).label() + (compareCaches ? " | ratio to " + caches.get(0).label() : "")
                + " | changelog records per event"
                + (separate ? " | median cores: service JVM | broker JVM |" : " | median cores: service and broker JVM |"));
        System.out.println("|---|---|---|---|---|---|" + (compareCaches ? "---|" : "") + "---|---|" + (separate ? "---|" : ""));
        for (int keys : keyCounts) {
            for (Variant v : variants) {
                for (StateCache c : caches) {
                    List<DrainResult> runs = runs(results, keys, v, c);
                    List<Double> rates = runs.stream().map(DrainResult::eventsPerSecond).toList();
                    double median = Medians.median(rates);
                    double toFirstVariant = median / medianRate(runs(results, keys, variants.get(0), c));
                    double toFirstCache = median / medianRate(runs(results, keys, v, caches.get(0)));
                    double changelogPerEvent = Medians.median(runs.stream()
                            .map(r -> (double) r.changelogRecords() / r.events()).toList());
                    String cores = String.format("%.2f", Medians.median(runs.stream().map(r -> r.cpu().ownCores()).toList()))
                            + (separate ? String.format(" | %.2f",
                                    Medians.median(runs.stream().map(r -> r.cpu().brokerCores()).toList())) : "");
                    System.out.printf("| %,d | %s | %s | %s | %,.0f | %.2f |%s %.3f | %s |%n", keys, v.label(), c.label(),
                            String.join(", ", rates.stream().map(x -> String.format("%,.0f", x)).toList()), median,
                            toFirstVariant, compareCaches ? String.format(" %.2f |", toFirstCache) : "",
                            changelogPerEvent, cores);
                }
            }
        }
    }

    private static List<DrainResult> runs(List<DrainResult> results, int keys, Variant variant, StateCache cache) {
        return results.stream().filter(r -> r.keys() == keys && r.variant() == variant && r.cache() == cache).toList();
    }

    private static double medianRate(List<DrainResult> runs) {
        return Medians.median(runs.stream().map(DrainResult::eventsPerSecond).toList());
    }
}
