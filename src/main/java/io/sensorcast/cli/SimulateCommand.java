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
                + " until SIGTERM or Ctrl-C.")
final class SimulateCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", required = true, description = "Kafka brokers, host:port[,host:port].")
    String bootstrapServers;

    @Option(names = "--topic", defaultValue = "sensor-events", description = "Events topic (default: ${DEFAULT-VALUE}).")
    String topic;

    @Mixin
    SimulatorOptions sensors;

    @Option(names = "--start", defaultValue = "2026-11-16T00:00:00Z",
            description = "Simulated time of the first readings (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Override
    public Integer call() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        SimulatorRunner runner = SimulatorRunner.toKafka(sensors.simulator(start), bootstrapServers, topic,
                sensors.rate).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            runner.close();
            stop.countDown();
        }, "sensorcast-simulate-shutdown"));
        stop.await();
        return 0;
    }
}
