package io.sensorcast.topology;

import io.sensorcast.demo.EmbeddedKafkaBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class RealBrokerForecastTest {

    @TempDir
    Path stateDir;

    @Test
    void realSeriesUnderExactlyOnceGetExactlyOneForecastPerValidEventOnAnInProcessKraftBroker() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start()) {
            BrokerForecastScenario.run(broker.bootstrapServers(), stateDir);
        }
    }
}
