package io.sensorcast.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service as a separate JVM ({@code sensorcast run --config FILE --role serve}) on this JVM's classpath,
 * so a test can kill it with real signals; its stdout and stderr go to a log file.
 */
public final class ChildService implements AutoCloseable {

    /** The line the run command logs once the stream is RUNNING. */
    public static final String READY_LINE = "Running pipeline";

    private final Process process;
    private final Path log;
    private final String name;
    private final long startedNanos = System.nanoTime();

    private ChildService(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    /** Starts {@code sensorcast run --config config --role serve}, appending its output to {@code log}. */
    public static ChildService start(String name, Path config, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // Small heap: several of these run beside the test JVM and the broker on two cores.
        command.add("-Xmx512m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        // The test classpath carries log4j2-test.xml (warnings only); the child needs the ready line at INFO.
        command.add("-Dlog4j2.configurationFile=" + logConfig(log.getParent()));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("io.sensorcast.cli.SensorcastCli");
        command.addAll(List.of("run", "--config", config.toString(), "--role", "serve", "--start-timeout", "120"));
        try {
            Files.writeString(log, "=== " + name + " started " + Instant.now() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            return new ChildService(process, log, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the service JVM " + name, e);
        }
    }

    private static Path logConfig(Path dir) {
        Path file = dir.resolve("child-log4j2.xml");
        try {
            Files.writeString(file, """
                    <?xml version="1.0" encoding="UTF-8"?>
                    <Configuration status="WARN">
                      <Appenders>
                        <Console name="console" target="SYSTEM_OUT">
                          <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n"/>
                        </Console>
                      </Appenders>
                      <Loggers>
                        <Logger name="io.sensorcast" level="INFO"/>
                        <!-- Wiping a store after a kill and restoring it from its changelog, for the record. -->
                        <Logger name="org.apache.kafka.streams.processor.internals.StoreChangelogReader" level="INFO"/>
                        <Logger name="org.apache.kafka.streams.processor.internals.ProcessorStateManager" level="INFO"/>
                        <Logger name="org.apache.kafka.streams.processor.internals.StateManagerUtil" level="INFO"/>
                        <Root level="WARN"><AppenderRef ref="console"/></Root>
                      </Loggers>
                    </Configuration>
                    """, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * A fresh log file under {@code target/child-logs/} (kept after the test, unlike a temporary directory, so
     * a failure can be read afterwards).
     */
    public static Path freshLog(String name) {
        Path file = Path.of("target", "child-logs", name + ".log").toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until this run has logged {@link #READY_LINE}; fails with the log if it exits or times out first. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String marker = "=== " + name + " started";
        while (true) {
            String text = logText();
            int from = text.lastIndexOf(marker);
            if (from >= 0 && text.indexOf(READY_LINE, from) >= 0) {
                System.out.printf("%s ready %d ms after launch%n", name,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos));
                return;
            }
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " not ready within " + timeout.toSeconds() + " s\n" + tail());
            }
            Thread.sleep(100);
        }
    }

    /** The metrics (and query) port this run logged in its {@link #READY_LINE}; call after {@link #awaitReady}. */
    public int metricsPort() {
        String text = logText();
        Matcher m = Pattern.compile("metrics on port (\\d+)").matcher(text.substring(text.lastIndexOf("=== " + name
                + " started")));
        if (!m.find()) {
            throw new AssertionError(name + " logged no metrics port\n" + tail());
        }
        return Integer.parseInt(m.group(1));
    }

    /** SIGKILL: no shutdown hook, no commit, no leaving the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError(name + " survived SIGKILL for 30 s");
        }
    }

    /** SIGTERM: the service's shutdown hook runs. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; returns its exit code, or fails with the log after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + " s\n" + tail());
        }
        return process.exitValue();
    }

    /** The whole log file (every run of every child writing to it). */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the log, for failure messages. */
    public String tail() {
        String[] lines = logText().split("\n");
        int from = Math.max(0, lines.length - 80);
        return "--- " + log + " (last " + (lines.length - from) + " lines) ---\n"
                + String.join("\n", Arrays.copyOfRange(lines, from, lines.length));
    }

    /** Kills the process if it still runs (a failed test must not leave a service JVM behind). */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
