package io.sensorcast.cli;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.SecretRedaction;
import io.sensorcast.service.Role;
import io.sensorcast.service.ServiceRuntime;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** Serves a pipeline against the Kafka cluster in its configuration until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Serve the pipeline against the brokers in its kafka: section until SIGTERM or Ctrl-C.")
final class RunCommand implements Callable<Integer> {

    /** Accepts role names in any case. */
    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            try {
                return Role.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("'" + value + "' is not a role; allowed: all, serve, train");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    /** Long enough for a slow cluster to answer, short enough that a wrong address fails start-up promptly. */
    private static final Duration ACCESS_TIMEOUT = Duration.ofSeconds(30);

    @Mixin
    ConfigOption config;

    @Option(names = "--create-topics", paramLabel = "PARTITIONS", defaultValue = "0",
            description = "Create missing topics with this many partitions (default: refuse to start without them).")
    int createPartitions;

    @Option(names = "--role", defaultValue = "all", converter = RoleConverter.class,
            description = "all (serve and train), serve (forecasts only) or train (the single trainer)"
                    + " (default: ${DEFAULT-VALUE}).")
    Role role;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for the stream to reach RUNNING (default: ${DEFAULT-VALUE}).")
    long startTimeoutSeconds;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        AtomicReference<String> signal = new AtomicReference<>("a shutdown");
        boolean signalsTaken = StopSignals.install(name -> {
            signal.compareAndSet("a shutdown", "SIG" + name);
            stopRequested.countDown();
        });
        PipelineConfig pipeline = config.load();
        // Everything that needs no cluster first, so a typo or a busy port fails in a second, not after a timeout.
        KafkaAccessCheck.validateSettings(pipeline);
        MetricsPortCheck.verify(pipeline);
        KafkaAccessCheck.verify(pipeline, ACCESS_TIMEOUT);
        ServiceRuntime runtime;
        try {
            runtime = new ServiceRuntime(pipeline, role);
        } catch (KafkaException e) {
            // Kafka Streams builds its clients here; their messages are not redacted, so only a redacted summary.
            throw new ConfigException("kafka: cannot create the Kafka clients: "
                    + SecretRedaction.redactText(e.getMessage(), pipeline.kafka()));
        }
        if (!signalsTaken) {
            // The JVM shuts down on the signal itself: close from a hook (the exit status is then 143).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(runtime, signal.get()), "sensorcast-shutdown"));
        }
        try {
            // A stop asked for during start takes effect once start has finished or failed (--start-timeout).
            runtime.start(createPartitions, Duration.ofSeconds(startTimeoutSeconds));
        } catch (RuntimeException | InterruptedException e) {
            // A failed start keeps its own exit status.
            runtime.close();
            throw e;
        }
        stopRequested.await();
        // Let in-flight work commit and leave the group; then main returns 0 and the JVM exits normally.
        stop(runtime, signal.get());
        return 0;
    }

    private static void stop(ServiceRuntime runtime, String cause) {
        LOG.info("Stopping on {}: committing in-flight work and leaving the consumer group", cause);
        long started = System.nanoTime();
        runtime.close();
        LOG.info("Stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
    }
}
