package io.sensorcast.bench.service;

import io.sensorcast.demo.EmbeddedKafkaBroker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Service throughput on the in-process KRaft broker: preloads a fixed, seeded workload per key count, then
 * drains it with each variant in turn (alternating, repeated) and prints every run, the median events per
 * second of each variant and its ratio to the first variant listed.
 *
 * <pre>
 * src/bench/run io.sensorcast.bench.service.ServiceThroughputBench --events 1000000 --keys 1000,100000 --reps 3
 * src/bench/run io.sensorcast.bench.service.ServiceThroughputBench --variants forecaster,training ...
 * </pre>
 */
public final class ServiceThroughputBench {

    private static final Set<String> FLAGS = Set.of("events", "keys", "reps", "variants", "partitions", "seed",
            "guarantee", "commit-ms", "train-every", "timeout-s");

    private ServiceThroughputBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, FLAGS);
        int events = args.integer("events", 100_000);
        List<Integer> keyCounts = args.list("keys", "1000").stream().map(Integer::parseInt).toList();
        int reps = args.integer("reps", 3);
        List<Variant> variants = args.list("variants", "baseline,forecaster").stream().map(Variant::of).toList();
        int partitions = args.integer("partitions", 4);
        long seed = args.integer("seed", 42);
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("processing.guarantee", args.string("guarantee", "exactly_once_v2"));
        overrides.put("commit.interval.ms", args.string("commit-ms", "100"));
        // Trains back to back: a round as soon as this many new steps arrived, never by time.
        String trainingYaml = "training: {enabled: true, everySamples: " + args.integer("train-every", 1000)
                + ", everySeconds: 0}\n";
        Duration timeout = Duration.ofSeconds(args.integer("timeout-s", 3600));

        System.out.printf("workload: %,d events, keys %s, seed %d, %d partitions, %s, commit.interval.ms=%s, "
                        + "variants %s, %d repetitions; JVM %s, max heap %d MiB, %d CPUs%n", events, keyCounts, seed,
                partitions, overrides.get("processing.guarantee"), overrides.get("commit.interval.ms"), variants, reps,
                System.getProperty("java.vm.version"), Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        List<DrainResult> results = new ArrayList<>();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(partitions);
             BenchKafka kafka = new BenchKafka(broker.bootstrapServers())) {
            for (int keys : keyCounts) {
                Workload workload = new Workload(events, keys, seed);
                String topic = "bench-events-" + keys;
                kafka.createTopic(topic, partitions, Map.of());
                long ms = workload.preload(broker.bootstrapServers(), topic);
                System.out.printf("preloaded %,d events over %,d keys into %s in %.1f s%n", events, keys, topic, ms / 1e3);
                DrainRun drain = new DrainRun(kafka, topic, partitions, overrides, trainingYaml);
                for (int rep = 1; rep <= reps; rep++) {
                    for (Variant variant : variants) {
                        DrainResult r = drain.run(variant, workload, rep, timeout);
                        System.out.println(r);
                        results.add(r);
                    }
                }
                kafka.deleteTopics(Set.of(topic), topic);
            }
        }
        summarise(results, keyCounts, variants);
        // The trainer's ND4J threads and Kafka's daemon threads can outlive close(); the run is over.
        System.exit(0);
    }

    private static void summarise(List<DrainResult> results, List<Integer> keyCounts, List<Variant> variants) {
        System.out.println();
        System.out.println("| keys | variant | events/s per run | median events/s | ratio to " + variants.get(0).label() + " |");
        System.out.println("|---|---|---|---|---|");
        for (int keys : keyCounts) {
            double reference = 0;
            for (Variant v : variants) {
                List<Double> rates = results.stream().filter(r -> r.keys() == keys && r.variant() == v)
                        .map(DrainResult::eventsPerSecond).toList();
                double median = Medians.median(rates);
                if (v == variants.get(0)) {
                    reference = median;
                }
                System.out.printf("| %,d | %s | %s | %,.0f | %.2f |%n", keys, v.label(),
                        String.join(", ", rates.stream().map(x -> String.format("%,.0f", x)).toList()), median,
                        median / reference);
            }
        }
    }
}
