package io.sensorcast.bench.service;

import io.sensorcast.demo.EmbeddedKafkaBroker;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link EmbeddedKafkaBroker} in a child JVM on this JVM's classpath. The child prints its bootstrap address
 * on a marked stdout line and runs until its stdin closes: {@link #close()} closes it, and so does the parent's
 * death by any means (the pipe closes with the process), so no broker outlives its harness.
 */
final class BrokerJvm implements BenchBroker {

    private static final String READY = "sensorcast-bench-broker bootstrap.servers=";
    private static final long START_TIMEOUT_S = 120;
    private static final long STOP_TIMEOUT_S = 60;

    private final Process process;
    private final String bootstrapServers;
    private final List<String> jvmOptions;
    private final Thread killOnExit;

    private BrokerJvm(Process process, String bootstrapServers, List<String> jvmOptions, Thread killOnExit) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.jvmOptions = jvmOptions;
        this.killOnExit = killOnExit;
    }

    /** The child's side: starts the broker, announces it and keeps it up until stdin reaches its end. */
    public static void main(String[] args) throws IOException {
        int partitions = Integer.parseInt(args[0]);
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(partitions);
        // SIGTERM from Process.destroy() also stops the broker cleanly (close() is idempotent).
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "broker-shutdown"));
        System.out.println(READY + broker.bootstrapServers());
        System.out.flush();
        while (System.in.read() >= 0) {
            // Nothing is ever written to stdin; end of input means the parent is gone or done.
        }
        broker.close();
        System.exit(0);
    }

    /** Starts the child JVM and waits until its broker accepts clients; kills it if it does not. */
    static BrokerJvm start(int defaultPartitions, List<String> jvmOptions) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BrokerJvm.class.getName(),
                Integer.toString(defaultPartitions)));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the broker JVM: " + command, e);
        }
        Thread killOnExit = new Thread(process::destroyForcibly, "kill-broker-jvm");
        Runtime.getRuntime().addShutdownHook(killOnExit);
        try {
            String bootstrap = awaitBootstrap(process).get(START_TIMEOUT_S, TimeUnit.SECONDS);
            return new BrokerJvm(process, bootstrap, List.copyOf(jvmOptions), killOnExit);
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the broker JVM did not become ready within " + START_TIMEOUT_S + " s"
                    + (process.isAlive() ? "" : " (it exited)"), e);
        }
    }

    /**
     * Reads the child's stdout on a daemon thread for as long as it runs (a full pipe would stall its logging):
     * completes with the announced address, forwards every other line to stderr.
     */
    private static CompletableFuture<String> awaitBootstrap(Process process) {
        CompletableFuture<String> bootstrap = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.startsWith(READY)) {
                        bootstrap.complete(line.substring(READY.length()).trim());
                    } else {
                        System.err.println("[broker] " + line);
                    }
                }
            } catch (IOException e) {
                bootstrap.completeExceptionally(e);
            }
            bootstrap.completeExceptionally(new IllegalStateException("the broker JVM closed its output"));
        }, "broker-jvm-output");
        reader.setDaemon(true);
        reader.start();
        return bootstrap;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public Optional<ProcessHandle> process() {
        return Optional.of(process.toHandle());
    }

    @Override
    public String describe() {
        return "broker in child JVM pid " + process.pid() + " " + jvmOptions + " at " + bootstrapServers;
    }

    /** Ends the child's input, so it stops the broker and exits; terminates it if it has not within a minute. */
    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(STOP_TIMEOUT_S, TimeUnit.SECONDS)) {
                System.err.println("[broker] did not stop within " + STOP_TIMEOUT_S + " s; killing it");
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException shuttingDown) {
                // The hook runs anyway; the process is already gone or going.
            }
        }
    }
}
