package io.sensorcast.topology;

import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.NeedsNabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

import java.nio.file.Path;

/** The same scenario against Kafka in a container; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
@IntegrationTest
@NeedsNabData
class TestcontainersForecastTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.3.1");

    @TempDir
    Path stateDir;

    @Test
    void realSeriesUnderExactlyOnceGetExactlyOneForecastPerValidEventOnAKafkaContainer() throws Exception {
        BrokerForecastScenario.run(KAFKA.getBootstrapServers(), stateDir);
    }
}
