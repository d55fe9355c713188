package io.sensorcast.cli;

import io.sensorcast.config.MetricsSettings;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.TrainingSettings;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.demo.LiveForecastConsole;
import io.sensorcast.demo.SensorSimulator;
import io.sensorcast.demo.SimulatorRunner;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.service.Role;
import io.sensorcast.service.ServiceRuntime;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs everything in one process: an embedded KRaft broker, a sensor simulator, the service and a live console. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an embedded Kafka broker on 127.0.0.1, simulated sensors and the service, and print"
                + " live forecasts next to what then arrived. Ctrl-C stops everything.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Mixin
    SimulatorOptions sensors;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop after this many seconds (default: run until Ctrl-C).")
    long durationSeconds;

    @Option(names = "--print-every", paramLabel = "SECONDS", defaultValue = "3",
            description = "Seconds between console updates (default: ${DEFAULT-VALUE}).")
    long printEverySeconds;

    @Option(names = "--metrics-port", defaultValue = "8080",
            description = "Port of /metrics and /health (0: any free port; default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--train-every", paramLabel = "EVENTS", defaultValue = "1000",
            description = "Train after this many new events, so the demo shows model swaps within minutes"
                    + " (default: ${DEFAULT-VALUE}).")
    int trainEvery;

    /** Counts of the last run, for tests. */
    long forecastsSeen;
    long deadLettersSeen;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            awaitQuietly(closed);
        }, "sensorcast-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        Path stateDir = Files.createTempDirectory("sensorcast-demo-state");
        out.println("Starting an embedded Kafka broker (KRaft) on 127.0.0.1...");
        quietKafkaInternals();
        EmbeddedKafkaBroker broker = startBrokerQuietly();
        ServiceRuntime runtime = null;
        SimulatorRunner simulator = null;
        LiveForecastConsole console = null;
        Thread consoleThread = null;
        try {
            PipelineConfig loaded = config.load();
            TrainingSettings t = loaded.training();
            PipelineConfig pipeline = loaded.withKafka(Map.of(
                            "bootstrap.servers", broker.bootstrapServers(),
                            "state.dir", stateDir.toString()))
                    .withMetrics(new MetricsSettings(loaded.metrics().host(), metricsPort, loaded.metrics().sensors(),
                            loaded.metrics().window()))
                    .withTraining(t.withTriggers(trainEvery, t.everySeconds()))
                    .withModelDirectory(stateDir.resolve("models").toString());
            PipelineTopics.ensure(pipeline, 2);
            out.println("Broker at " + broker.bootstrapServers() + "; starting the forecaster and the online trainer...");
            runtime = new ServiceRuntime(pipeline, Role.ALL);
            runtime.start(0, Duration.ofSeconds(120));
            SensorSimulator simulated = sensors.simulator(sensors.backfillStart());
            out.println("Streaming " + simulated.sensorIds() + " at " + sensors.rate + " events/s to '"
                    + pipeline.topics().events() + "'. Ctrl-C stops.");
            simulator = SimulatorRunner.toKafka(simulated, broker.bootstrapServers(), pipeline.topics().events(),
                    sensors.rate).start();
            console = new LiveForecastConsole(pipeline, broker.bootstrapServers(), out,
                    Duration.ofSeconds(printEverySeconds));
            consoleThread = new Thread(console, "sensorcast-demo-console");
            consoleThread.start();
            if (durationSeconds > 0) {
                stop.await(durationSeconds, TimeUnit.SECONDS);
            } else {
                stop.await();
            }
            out.println("\nStopping...");
        } finally {
            closeQuietly(simulator);
            if (console != null) {
                console.close();
                consoleThread.join(5_000);
                forecastsSeen = console.forecastsSeen();
                deadLettersSeen = console.deadLettersSeen();
            }
            closeQuietly(runtime);
            closeQuietly(broker);
            deleteTree(stateDir);
            closed.countDown();
            if (durationSeconds > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
        out.printf("Stopped cleanly: %,d forecasts and %,d dead letters seen.%n", forecastsSeen, deadLettersSeen);
        return 0;
    }

    /**
     * The demo's own broker, temp directory and internal topics make Kafka warn about things a user of the demo
     * cannot act on: internal repartition topics not created yet, a state directory under /tmp, the broker's
     * first activation, transactions retried while the fresh broker completes the previous one, a client closed
     * twice on shutdown. {@code run} keeps these warnings: there they are the operator's to act on.
     */
    private static void quietKafkaInternals() {
        for (String logger : List.of("org.apache.kafka.clients.NetworkClient",
                "org.apache.kafka.clients.producer.internals.Sender",
                "org.apache.kafka.streams.processor.internals.StateDirectory", "org.apache.kafka.streams.StreamsConfig",
                "org.apache.kafka.controller.QuorumController")) {
            Configurator.setLevel(logger, Level.ERROR);
        }
        // The embedded broker's own log of those retried appends: the demo's broker is gone when the demo stops.
        Configurator.setLevel("kafka.server.ReplicaManager", Level.FATAL);
    }

    /** Kafka's storage formatter prints its bootstrap records to standard output; the demo's console is for forecasts. */
    private static EmbeddedKafkaBroker startBrokerQuietly() {
        PrintStream console = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return EmbeddedKafkaBroker.start();
        } finally {
            System.setOut(console);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            System.err.println("while stopping: " + e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
