package io.sensorcast.bench.service;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.training.OnlineTrainer;
import io.sensorcast.training.SampleBuffer;
import org.bytedeco.javacpp.Pointer;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;

/**
 * ND4J's native memory while the online trainer runs round after round for minutes (the shipped training
 * settings, fed by the serving path over a seeded workload): samples heap, VmRSS and JavaCPP's native byte
 * counts at a fixed interval, so a run with given heap and JavaCPP limits shows whether they stay flat.
 *
 * <pre>
 * BENCH_JAVA_OPTS="-Xmx1g" src/bench/run io.sensorcast.bench.service.NativeMemorySoakBench --minutes 5
 * </pre>
 */
public final class NativeMemorySoakBench {

    private static final Set<String> FLAGS = Set.of("minutes", "sample-s", "keys", "events-per-round", "prefill", "seed");
    private static final long MIB = 1 << 20;

    private NativeMemorySoakBench() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv, FLAGS);
        long minutes = args.integer("minutes", 5);
        int sampleSeconds = args.integer("sample-s", 10);
        int keys = args.integer("keys", 256);
        int perRound = args.integer("events-per-round", 20_000);
        Path modelDir = Files.createTempDirectory("sensorcast-bench-models-");
        PipelineConfig config = PipelineConfigLoader.parse("name: soak\nmodel: {directory: '" + modelDir + "'}\n");
        ServingModel serving = ModelSources.initialServing(config, Optional.empty());
        var t = config.training();
        SampleBuffer samples = SampleBuffer.of(t);
        OnlineTrainer trainer = new OnlineTrainer(config, samples, () -> serving, Clock.systemUTC());
        SensorForecaster forecaster = new SensorForecaster(config, serving.weights().spec(), samples.listener());
        EventParser parser = new EventParser(config.parserSettings());
        Map<String, SensorState> states = new HashMap<>();
        // Effectively endless: the soak feeds the trainer new steps every round.
        Workload workload = new Workload(Integer.MAX_VALUE, keys, args.integer("seed", 42));

        System.out.printf("JVM %s, %s; max heap %,d MiB; JavaCPP maxBytes %,d MiB, maxPhysicalBytes %,d MiB; "
                        + "training: maxKeys %d, stepsPerKey %d, window %d, TBPTT %d, batch %d, epochs %d%n",
                System.getProperty("java.vm.version"),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
                Runtime.getRuntime().maxMemory() / MIB, Pointer.maxBytes() / MIB, Pointer.maxPhysicalBytes() / MIB,
                t.maxKeys(), t.stepsPerKey(), t.windowLength(), t.tbpttLength(), t.batchSize(), t.epochs());
        long started = System.nanoTime();
        List<ProcessMemory> readings = new ArrayList<>();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> {
            ProcessMemory m = ProcessMemory.read(false);
            synchronized (readings) {
                readings.add(m);
            }
            System.out.printf("t=%4d s  %s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started), m);
        }, 0, sampleSeconds, TimeUnit.SECONDS);

        // Fill the sample buffer first, so every round trains on as many windows as a long-running service's would.
        int prefill = args.integer("prefill", keys * t.stepsPerKey());
        int next = feed(parser, forecaster, states, serving, workload, 0, prefill);
        System.out.printf("prefilled %,d steps over %d keys%n", prefill, keys);
        int rounds = 0;
        long deadline = started + TimeUnit.MINUTES.toNanos(minutes);
        while (System.nanoTime() < deadline) {
            next = feed(parser, forecaster, states, serving, workload, next, perRound);
            long roundStart = System.nanoTime();
            OnlineTrainer.Round round = trainer.train();
            rounds++;
            System.out.printf("round %d: %s in %.1f s (%d train windows)%n", rounds, round.outcome(),
                    (System.nanoTime() - roundStart) / 1e9, round.trainWindows());
        }
        sampler.shutdown();
        sampler.awaitTermination(1, TimeUnit.MINUTES);
        summarise(readings, rounds);
        DrainRun.deleteRecursively(modelDir);
        System.exit(0);
    }

    /** Steps events {@code from .. from + count - 1} through the serving path, feeding the trainer; returns the next index. */
    private static int feed(EventParser parser, SensorForecaster forecaster, Map<String, SensorState> states,
                            ServingModel serving, Workload workload, int from, int count) {
        for (int i = from; i < from + count; i++) {
            ParseResult parsed = parser.parse(workload.sensorOf(i).getBytes(StandardCharsets.UTF_8), workload.value(i));
            SensorEvent event = ((ParseResult.Accepted) parsed).event();
            SensorState state = states.computeIfAbsent(event.sensorId(), k -> forecaster.newState());
            forecaster.advance(state, event, serving);
        }
        return from + count;
    }

    /** Compares the peaks of the first and the last third of the run: flat memory has equal peaks. */
    private static void summarise(List<ProcessMemory> readings, int rounds) {
        int third = Math.max(1, readings.size() / 3);
        List<ProcessMemory> first = readings.subList(0, third);
        List<ProcessMemory> last = readings.subList(readings.size() - third, readings.size());
        System.out.printf("%d rounds, %d samples; peak VmRSS first third %,d MiB, last third %,d MiB; peak committed "
                        + "heap first %,d MiB, last %,d MiB; peak JavaCPP total first %,d MiB, last %,d MiB%n",
                rounds, readings.size(), peak(first, ProcessMemory::rss), peak(last, ProcessMemory::rss),
                peak(first, ProcessMemory::heapCommitted), peak(last, ProcessMemory::heapCommitted),
                peak(first, ProcessMemory::javacppTotal), peak(last, ProcessMemory::javacppTotal));
    }

    private static long peak(List<ProcessMemory> readings, ToLongFunction<ProcessMemory> f) {
        return readings.stream().mapToLong(f).max().orElse(0) / MIB;
    }
}
