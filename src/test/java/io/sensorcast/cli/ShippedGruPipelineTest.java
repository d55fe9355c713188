package io.sensorcast.cli;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.recurrent.CellType;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.ChildService;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.OutputCollector;
import io.sensorcast.testing.PacedProducer;
import io.sensorcast.testing.SensorWorkload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped GRU pipeline file and its shipped bootstrap model start the service, which forecasts with them. */
@IntegrationTest
class ShippedGruPipelineTest {

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();

    @TempDir
    Path dir;

    @Test
    void serviceStartsFromTheShippedGruPipelineAndBootstrapModelAndForecastsEveryValidEvent() throws Exception {
        // The shipped file as it is, pointed at this broker and at a scratch state and models directory.
        String shipped = Files.readString(Path.of("topologies/sensorcast-gru.yaml"), StandardCharsets.UTF_8);
        String yaml = shipped
                .replace("bootstrap.servers: localhost:9092", "bootstrap.servers: " + KAFKA.broker().bootstrapServers()
                        + "\n  state.dir: " + dir.resolve("state"))
                .replace("path: models/bootstrap-gru.zip", "path: " + Path.of("models/bootstrap-gru.zip").toAbsolutePath()
                        + "\n  directory: " + dir.resolve("models"))
                + "\nmetrics: {host: 127.0.0.1, port: 0}\n";
        Path file = dir.resolve("pipeline.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        PipelineConfig config = PipelineConfigLoader.load(file);
        assertThat(config.model().cell()).isEqualTo(CellType.GRU);
        PipelineTopics.ensure(config, 2);

        SensorWorkload workload = SensorWorkload.generate(6, 40, 1_000);
        try (OutputCollector out = new OutputCollector(KAFKA.broker().bootstrapServers(), config);
             PacedProducer producer = new PacedProducer(KAFKA.broker().bootstrapServers(), config.topics().events(),
                     workload, 200, Integer.MAX_VALUE);
             ChildService service = ChildService.start("gru-0", file, ChildService.freshLog("ShippedGruPipelineTest"))) {
            service.awaitReady(Duration.ofSeconds(120));
            producer.start();
            out.await(() -> out.forecastCount() >= workload.validCount(), Duration.ofSeconds(90),
                    workload.validCount() + " forecasts");

            assertThat(service.logText()).contains("Starting with bootstrap model v1 from")
                    .contains("bootstrap-gru.zip").doesNotContain(" ERROR ");
            assertThat(out.received()).hasSize(workload.validCount());
            for (OutputCollector.Received r : out.received()) {
                Forecast f = r.forecast();
                assertThat(f.modelVersion()).isEqualTo(1);
                for (double v : f.values()) {
                    assertThat(v).isFinite();
                }
            }
        }
    }
}
