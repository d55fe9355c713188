package io.sensorcast.cli;

import io.sensorcast.testing.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sensorcast simulate} as its own JVM, stopped the way docker-compose and Kubernetes stop it. */
@IntegrationTest
class SimulateCommandTest {

    @TempDir
    Path dir;

    @Test
    void simulateExitsZeroOnSigterm() throws Exception {
        Path log = dir.resolve("simulate.log");
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), SensorcastCli.class.getName(), "simulate",
                // Nothing listens on port 1: the producer buffers, which is all this test needs.
                "--bootstrap-servers", "127.0.0.1:1", "--rate", "5"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            Thread.sleep(4_000);
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
            process.destroy();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited within 30 s").isTrue();
            assertThat(process.exitValue()).as("exit status after SIGTERM\n%s", Files.readString(log)).isZero();
        } finally {
            process.destroyForcibly();
        }
    }
}
