package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.ChildPipeline;
import io.sensorcast.testing.ChildService;
import io.sensorcast.testing.CrashScenario;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.OutputCollector;
import io.sensorcast.testing.PacedProducer;
import io.sensorcast.testing.SensorWorkload;
import io.sensorcast.testing.UninterruptedRun;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Static membership ({@code instanceId}) under Kafka's default 45 s session timeout: a SIGKILLed instance
 * restarted under its id serves again within seconds, and a SIGTERMed one still leaves the group at once.
 */
@IntegrationTest
class StaticMembershipTest {

    /** Kafka's default, set explicitly because the test pipelines otherwise use the broker's 6 s minimum. */
    private static final Map<String, String> DEFAULT_SESSION = Map.of("session.timeout.ms", "45000",
            "heartbeat.interval.ms", "3000");

    @TempDir
    Path dir;

    @Test
    void killedInstanceRestartedUnderItsIdForecastsAgainWithin15SecondsAndEveryEventStillHasExactlyOneForecast()
            throws Exception {
        try (CrashScenario scenario = CrashScenario.start("static-crash", dir.resolve("a"), DEFAULT_SESSION,
                "instanceId: serve-0\n", "StaticMembershipTest-kill")) {
            SensorWorkload workload = scenario.workload;
            PipelineConfig config = scenario.config;
            OutputCollector out = scenario.out;
            PacedProducer producer = scenario.producer;
            ChildService service = scenario.serveThenProduce("run-0");
            try {
                out.await(() -> out.forecastCount() >= 300, Duration.ofSeconds(60), "300 forecasts before the kill");
                service.kill();
                long killed = System.nanoTime();
                service = ChildService.start("run-1", scenario.pipelineFile, scenario.log);
                // What the dead instance committed is read within a second, long before the new JVM is up.
                Thread.sleep(1000);
                int before = out.forecastCount();
                out.await(() -> out.forecastCount() > before, Duration.ofSeconds(60), "a forecast after the restart");
                long recoveryMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                System.out.printf("SIGKILL to the restarted instance's first forecast: %d ms%n", recoveryMs);
                assertThat(recoveryMs).as("ms from SIGKILL to the first forecast of the restarted instance "
                        + "(without static membership: the 45 s session timeout)").isLessThan(15_000);
                service.awaitReady(Duration.ofSeconds(60));
                String restart = service.logText().substring(service.logText().lastIndexOf("=== run-1 started"));
                assertThat(restart).as("the restart logs what it restored at INFO")
                        .containsPattern("Restored store sensor-state from \\S+: [1-9]\\d* records in \\d+ ms");
                producer.release();
                scenario.awaitAllOutput();

                UninterruptedRun.assertExactlyOnce(config, workload, out);
            } catch (AssertionError | RuntimeException e) {
                System.out.println(service.tail());
                throw e;
            } finally {
                service.close();
            }
        }
    }

    @Test
    void instanceStoppedWithSigtermLeavesTheGroupAtOnceDespiteItsStaticId() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            ChildPipeline pipeline = new ChildPipeline("static-term", broker.bootstrapServers(), dir.resolve("a"),
                    DEFAULT_SESSION);
            PipelineConfig config = pipeline.config();
            Path pipelineFile = pipeline.write("instanceId: serve-0\n");
            PipelineTopics.ensure(config, 4);
            ChildService service = ChildService.start("run-0", pipelineFile, ChildService.freshLog("StaticMembershipTest-term"));
            try {
                service.awaitReady(Duration.ofSeconds(120));
                assertThat(members(admin, config.name())).as("members while running").isEqualTo(1);
                service.terminate();
                assertThat(service.awaitExit(Duration.ofSeconds(35))).as("exit status").isZero();
                long exited = System.nanoTime();
                while (members(admin, config.name()) > 0) {
                    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exited))
                            .as("ms the stopped static member stayed in the group (session timeout: 45,000)")
                            .isLessThan(5_000);
                    Thread.sleep(200);
                }
            } catch (AssertionError | RuntimeException e) {
                System.out.println(service.tail());
                throw e;
            } finally {
                service.close();
            }
        }
    }

    private static int members(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                .get(group);
        return d.members().size();
    }
}
