package io.sensorcast.demo;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatorRunnerTest {

    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");

    @Test
    void producesTheSimulatorsRecordsInOrderAtTheRequestedRateUntilClosed() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null,
                new StringSerializer(), new ByteArraySerializer());
        SimulatorRunner runner = new SimulatorRunner(new SensorSimulator(21, START, 0.1), producer, "events", 200);

        long startedNs = System.nanoTime();
        runner.start();
        Thread.sleep(500);
        runner.close();
        double elapsedSeconds = (System.nanoTime() - startedNs) / 1e9;

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).hasSizeGreaterThan(10);
        assertThat((double) sent.size()).isLessThanOrEqualTo(200 * elapsedSeconds + 2);
        assertThat(runner.sentCount()).isEqualTo(sent.size());
        assertThat(runner.acknowledgedCount()).isEqualTo(sent.size());
        assertThat(producer.closed()).isTrue();

        SensorSimulator expected = new SensorSimulator(21, START, 0.1);
        for (ProducerRecord<String, byte[]> record : sent) {
            SimulatedRecord simulated = expected.next();
            assertThat(record.topic()).isEqualTo("events");
            assertThat(record.key()).isEqualTo(simulated.key());
            assertThat(record.value()).isEqualTo(simulated.value());
            assertThat(record.timestamp()).isEqualTo(simulated.timestampMs());
        }
    }

    @Test
    void replaysTheBackfillAtTheRateThenNeverStampsARecordAheadOfTheWallClock() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null,
                new StringSerializer(), new ByteArraySerializer());
        Instant now = Instant.now();
        // Thirty simulated minutes behind: about fifty readings to catch up, at 1,000 a second.
        SimulatorRunner runner = new SimulatorRunner(new SensorSimulator(3, now.minus(Duration.ofMinutes(30)), 0),
                producer, "events", 1_000).start();
        Thread.sleep(1_500);
        runner.close();
        long closedAt = System.currentTimeMillis();

        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).hasSizeGreaterThan(20);
        // At 1,000 a second the simulator alone would have run some eight simulated days ahead by now.
        assertThat(sent).allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(closedAt));
        assertThat(sent.size()).isLessThan(200);
    }

    @Test
    void stopsProducingOnceClosed() throws Exception {
        MockProducer<String, byte[]> producer = new MockProducer<>(true, null,
                new StringSerializer(), new ByteArraySerializer());
        SimulatorRunner runner = new SimulatorRunner(new SensorSimulator(1, START), producer, "events", 1_000).start();
        Thread.sleep(100);
        runner.close();
        long sentAtClose = runner.sentCount();

        Thread.sleep(100);

        assertThat(runner.sentCount()).isEqualTo(sentAtClose);
    }

    @Test
    void ownProducerIsIdempotentAndWaitsForAllReplicas() {
        assertThat(SimulatorRunner.producerConfig("127.0.0.1:9092"))
                .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
                .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092");
    }

    @Test
    void rejectsANonPositiveRate() {
        assertThatThrownBy(() -> new SimulatorRunner(new SensorSimulator(1, START), new MockProducer<>(), "t", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
