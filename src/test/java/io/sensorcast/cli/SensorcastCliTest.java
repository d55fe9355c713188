package io.sensorcast.cli;

import io.sensorcast.config.ConfigKeys;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.NeedsNabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SensorcastCliTest {

    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run execute(String... args) {
        CommandLine cli = SensorcastCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            int code = cli.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(originalOut);
        }
    }

    @Test
    void topologyCommandPrintsTheCheckedInDescription() throws IOException {
        Run run = execute("topology", "--config", "topologies/sensorcast.yaml");
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(Files.readString(Path.of("topologies/sensorcast.topology.txt")));
    }

    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = SensorcastCli.commandLine();
            cli.getSubcommands().values().forEach(CommandLine::getUsageMessage);
        } finally {
            System.setErr(originalErr);
        }
        // picocli warns on stderr (and prints the raw text) when a description is not a valid format string.
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void runWithAnInvalidConfigurationExitsWithAMessageNamingTheKey() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "horizon: 0\n");
        Run run = execute("run", "--config", bad.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("horizon").contains("allowed: 1..100");
    }

    @Test
    void runWithoutBootstrapServersExitsWithAMessageNamingTheKey() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), "name: no-kafka\n");
        Run run = execute("run", "--config", config.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err().strip()).startsWith("sensorcast: kafka.bootstrap.servers: not set").doesNotContain("\n");
    }

    @Test
    void runWithItsMetricsPortInUseExitsTwoWithOneLineBeforeConnectingToKafka() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Port 1 on loopback is closed: reaching the Kafka check would take its 30 s timeout.
            Path config = Files.writeString(dir.resolve("c.yaml"), "kafka: {bootstrap.servers: \"127.0.0.1:1\"}\n"
                    + "metrics: {host: 127.0.0.1, port: " + taken.getLocalPort() + "}\n");
            long started = System.nanoTime();
            Run run = execute("run", "--config", config.toString());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err().strip()).startsWith("sensorcast: metrics.port: cannot listen on 127.0.0.1:"
                    + taken.getLocalPort()).doesNotContain("\n");
        }
    }

    @Test
    @IntegrationTest
    void runAgainstAClosedPortFailsWithinTheAccessTimeoutNamingBootstrapServers() throws IOException {
        Path config = Files.writeString(dir.resolve("c.yaml"), "kafka: {bootstrap.servers: \"127.0.0.1:1\"}\n"
                + "metrics: {host: 127.0.0.1, port: 0}\n");
        long started = System.nanoTime();
        Run run = execute("run", "--config", config.toString());
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("kafka.bootstrap.servers: no answer from 127.0.0.1:1 within 30 s");
        // The Kafka check comes first: no second 30 s wait for the model topic (64 s in all before).
        assertThat(took).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(40));
    }

    @Test
    void configDescribePrintsTheReferenceTableOfEveryDeclaredKey() {
        Run run = execute("config", "--describe");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(ConfigKeys.referenceTable());
        for (ConfigKeys.Key key : ConfigKeys.values()) {
            assertThat(run.out()).contains("| `" + key.name() + "` |");
        }
    }

    @Test
    @NeedsNabData
    void replayWritesOneRowPerEventWithKForecastsAndPrintsScoresAgainstEveryBaselineThenASummary() throws IOException {
        Path csv = NabData.directory().resolve("realTraffic/speed_7578.csv");
        Run run = execute("replay", "--out", dir.toString(), "--plot", "--score-from", "200", csv.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> rows = Files.readAllLines(dir.resolve("speed_7578.csv"));
        assertThat(rows.get(0)).isEqualTo("index,timestamp,actual,forecast_1,forecast_2,forecast_3,forecast_4,forecast_5,"
                + "q10_1,q10_2,q10_3,q10_4,q10_5,q50_1,q50_2,q50_3,q50_4,q50_5,q90_1,q90_2,q90_3,q90_4,q90_5,"
                + "anomaly_score,anomaly,model_version");
        assertThat(rows).hasSize(1 + 1127);
        assertThat(rows.get(1).split(",")).hasSize(26);
        assertThat(Files.size(dir.resolve("speed_7578.png"))).isPositive();
        assertThat(run.out()).contains("speed_7578: 1127 rows").contains("persistence").contains("daily naive")
                .contains("weekly naive").contains("best baseline").contains("SUMMARY");
        assertThat(run.out().lines().filter(l -> l.matches("\\s*[1-5]\\s+[1-9]\\d* \\|.*"))).hasSize(5);
        assertThat(run.out().lines().filter(l -> l.matches("\\| [1-5] \\| \\d\\.\\d{3} \\| [01]/1 \\| .*"))).hasSize(5);
        // Coverage and WQL per horizon after the point scores.
        assertThat(run.out()).contains("INTERVALS").contains("| 80 % coverage |").contains("INTERVAL SUMMARY");
        assertThat(run.out().lines().filter(l -> l.matches("\\| [1-5] \\| \\d+\\.\\d % \\| [01]/1 \\| .*"))).hasSize(5);
    }

    @Test
    void replayCompareAddsWeeklyNaiveAndBestBaselineColumnsAndASummaryTablePerHorizon() {
        Path csv = NabData.directory().resolve("realTraffic/speed_7578.csv");
        Run run = execute("replay", "--compare", "--score-from", "200", csv.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        java.util.List<String> lines = run.out().lines().toList();
        assertThat(lines.get(0)).contains("| weekly naive MAE |").contains("| best baseline | online / best |");
        assertThat(lines.stream().filter(l -> l.startsWith("| speed_7578 | 1127 |"))
                .map(l -> l.split("\\|").length)).containsExactly(lines.get(0).split("\\|").length,
                lines.get(0).split("\\|").length);
        int summary = lines.indexOf(lines.stream().filter(l -> l.startsWith("SUMMARY")).findFirst().orElseThrow());
        assertThat(lines.get(summary + 2)).startsWith("| h | online / best | online wins | no-training / best");
        assertThat(lines.subList(summary + 4, summary + 9))
                .allMatch(l -> l.matches("\\| [1-5] \\| \\d\\.\\d{3} \\| [01]/1 \\| \\d\\.\\d{3} \\| [01]/1 \\|.*"));
    }

    @Test
    @IntegrationTest
    void demoShowsLiveForecastsAndDeadLettersWithinSeconds() {
        Run run = execute("demo", "--duration", "20", "--rate", "60", "--print-every", "4", "--metrics-port", "0",
                "--bad-record-rate", "0.05");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("model v1").contains("machine-temp-1").contains("running mean absolute error")
                .contains("Stopped cleanly");
        String summary = run.out().lines().filter(l -> l.startsWith("Stopped cleanly")).findFirst().orElseThrow();
        assertThat(summary).doesNotContain(" 0 forecasts").doesNotContain(" 0 dead letters");
    }
}
