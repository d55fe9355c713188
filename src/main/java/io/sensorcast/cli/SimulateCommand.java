package io.sensorcast.cli;

import io.sensorcast.demo.SimulatorRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** Streams the demo's simulated sensors to a Kafka cluster until stopped (docker-compose's sensor source). */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Produce simulated sensor events (daily cycles, noise, gaps, ~1%% broken records) to a Kafka topic"
                + " until SIGTERM or Ctrl-C (then exit 0). Replays --backfill at --rate, then follows real time.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port[,host:port].")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "sensor-events", description = "Events topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Mixin
    SimulatorOptions sensors;

    @Option(names = "--start", description = "Simulated time of the first readings, an ISO-8601 instant (default: now"
            + " minus --backfill). Readings never run ahead of the wall clock.")
    Instant start;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        boolean signalsTaken = StopSignals.install(signal -> stop.countDown());
        SimulatorRunner runner = SimulatorRunner.toKafka(sensors.simulator(start != null ? start : sensors.backfillStart()),
                bootstrapServers, topic, sensors.rate).start();
        if (!signalsTaken) {
            // The JVM shuts down on the signal itself: close from a hook (the exit status is then 143).
            Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "sensorcast-simulate-shutdown"));
        }
        // SIGTERM and Ctrl-C end the wait: the producer flushes what was sent, and the command returns 0.
        stop.await();
        runner.close();
        return 0;
    }
}
