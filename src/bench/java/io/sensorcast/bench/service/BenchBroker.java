package io.sensorcast.bench.service;

import io.sensorcast.demo.EmbeddedKafkaBroker;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The harness's KRaft broker: in this JVM, or in a JVM of its own so the service's CPU time is its own. */
interface BenchBroker extends AutoCloseable {

    /** The {@code bootstrap.servers} value for clients of this broker. */
    String bootstrapServers();

    /** The broker's own process when it runs in a separate JVM; empty when it shares this one. */
    Optional<ProcessHandle> process();

    /** A line for the run's header: where the broker runs. */
    String describe();

    @Override
    void close();

    /**
     * Starts a broker and waits until it accepts clients.
     *
     * @param where      {@code in-process} or {@code child}
     * @param jvmOptions the child JVM's options (ignored in-process)
     */
    static BenchBroker start(String where, int defaultPartitions, List<String> jvmOptions) {
        return switch (where.toLowerCase(Locale.ROOT)) {
            case "in-process" -> inProcess(EmbeddedKafkaBroker.start(defaultPartitions));
            case "child" -> BrokerJvm.start(defaultPartitions, jvmOptions);
            default -> throw new IllegalArgumentException("--broker: '" + where + "'; known: in-process, child");
        };
    }

    private static BenchBroker inProcess(EmbeddedKafkaBroker broker) {
        return new BenchBroker() {
            @Override
            public String bootstrapServers() {
                return broker.bootstrapServers();
            }

            @Override
            public Optional<ProcessHandle> process() {
                return Optional.empty();
            }

            @Override
            public String describe() {
                return "broker in this JVM at " + broker.bootstrapServers();
            }

            @Override
            public void close() {
                broker.close();
            }
        };
    }
}
