package io.sensorcast.testing;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.service.PipelineTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two service JVMs share the input partitions on a real broker; while input arrives one of them is stopped
 * and the other takes over its partitions and their state. Checks exactly one forecast per valid event,
 * equal to an uninterrupted run, and measures how long the stopped instance's partitions went unserved.
 *
 * @param standbyReplicas {@code num.standby.replicas} of both instances
 * @param kill            SIGKILL instead of SIGTERM
 * @param sensors         sensors in the workload
 * @param eventsPerSensor readings per sensor
 * @param perSecond       input rate
 */
public record TakeoverScenario(int standbyReplicas, boolean kill, int sensors, int eventsPerSensor, double perSecond) {

    static final int PARTITIONS = 4;

    /**
     * What one run measured.
     *
     * @param stopToExitMs from the signal to the stopped JVM's exit
     * @param takeoverMs   from that exit until every partition again had a forecast of an event sent after it
     *                     (the slowest partition: one of the stopped instance's)
     * @param forecasts    forecasts checked
     */
    public record Result(long stopToExitMs, long takeoverMs, int forecasts) {
    }

    /** Runs the scenario on a fresh broker in {@code dir}; fails on any broken guarantee. */
    public Result run(Path dir) throws Exception {
        SensorWorkload workload = SensorWorkload.generate(sensors, eventsPerSensor, 41);
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            Map<String, String> kafka = Map.of("num.standby.replicas", Integer.toString(standbyReplicas));
            ChildPipeline a = new ChildPipeline("takeover", broker.bootstrapServers(), dir.resolve("a"), kafka);
            ChildPipeline b = new ChildPipeline("takeover", broker.bootstrapServers(), dir.resolve("b"), kafka);
            PipelineConfig config = a.config();
            PipelineTopics.ensure(config, PARTITIONS);
            int holdFrom = workload.records().size() * 3 / 4;
            try (OutputCollector out = new OutputCollector(broker.bootstrapServers(), config);
                 PacedProducer producer = new PacedProducer(broker.bootstrapServers(), config.topics().events(),
                         workload, perSecond, holdFrom);
                 ChildService serviceA = ChildService.start("a", a.write(), ChildService.freshLog("takeover-a"))) {
                // A first, B once A owns every task: B must never have held one of A's tasks before the stop,
                // or it would keep a checkpointed copy of its state and take it over warm without any standby.
                serviceA.awaitReady(Duration.ofSeconds(120));
                try (ChildService serviceB = ChildService.start("b", b.write(), ChildService.freshLog("takeover-b"))) {
                    try {
                        serviceB.awaitReady(Duration.ofSeconds(120));
                        awaitSharedAssignment(broker.bootstrapServers(), config.name(), Duration.ofSeconds(60));
                        producer.start();
                        // Stop A once both have been serving for a while (and B's standbys have followed A's state).
                        out.await(() -> out.forecastCount() >= workload.validCount() / 2, Duration.ofSeconds(120),
                                "half the forecasts");

                        long stopAt = System.nanoTime();
                        int exitCode;
                        if (kill) {
                            serviceA.kill();
                            exitCode = 137;
                        } else {
                            serviceA.terminate();
                            exitCode = serviceA.awaitExit(Duration.ofSeconds(60));
                        }
                        long exitAt = System.nanoTime();
                        producer.release();
                        assertThat(exitCode).as("exit code of the stopped instance").isEqualTo(kill ? 137 : 0);
                        producer.awaitDone(Duration.ofSeconds(180));
                        out.awaitAtLeast(workload.validCount(), workload.badCount(), Duration.ofSeconds(180),
                                Duration.ofSeconds(2));

                        UninterruptedRun.assertExactlyOnce(config, workload, out);
                        assertThat(serviceB.isAlive()).as("the remaining instance runs").isTrue();
                        return new Result(TimeUnit.NANOSECONDS.toMillis(exitAt - stopAt),
                                takeoverMs(workload, producer, out.received(), exitAt), out.forecastCount());
                    } catch (AssertionError | RuntimeException e) {
                        System.out.println(serviceA.tail());
                        System.out.println(serviceB.tail());
                        throw e;
                    }
                }
            }
        }
    }

    /** Per partition, the first forecast of an event sent after {@code exitAt}; the slowest partition counts. */
    private static long takeoverMs(SensorWorkload workload, PacedProducer producer, List<OutputCollector.Received> got,
                                   long exitAt) {
        Map<String, Integer> indexOf = new HashMap<>();
        for (int i = 0; i < workload.records().size(); i++) {
            SensorWorkload.Input r = workload.records().get(i);
            if (r.valid()) {
                indexOf.put(r.key() + "#" + r.step(), i);
            }
        }
        Map<Integer, Long> firstAfter = new HashMap<>();
        for (OutputCollector.Received r : got) {
            Forecast f = r.forecast();
            PacedProducer.Sent sent = producer.sent(indexOf.get(f.sensorId() + "#" + f.step()));
            if (sent.sentNanos() > exitAt) {
                firstAfter.merge(r.partition(), r.arrivedNanos(), Math::min);
            }
        }
        assertThat(firstAfter.keySet()).as("partitions served after the stop").hasSize(PARTITIONS);
        long slowest = firstAfter.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        return TimeUnit.NANOSECONDS.toMillis(slowest - exitAt);
    }

    /** Waits until the group is stable with two members, each assigned some input partitions. */
    public static void awaitSharedAssignment(String bootstrap, String group, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all()
                        .get(30, TimeUnit.SECONDS).get(group);
                List<MemberDescription> members = List.copyOf(d.members());
                if (d.groupState() == GroupState.STABLE && members.size() == 2
                        && members.stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the two instances did not share the partitions within "
                            + timeout.toSeconds() + " s: " + d);
                }
                Thread.sleep(200);
            }
        }
    }
}
