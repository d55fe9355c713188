package io.sensorcast.topology;

import io.sensorcast.config.ConfigException;
import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.demo.EmbeddedKafkaBroker;
import io.sensorcast.service.PipelineTopics;
import io.sensorcast.testing.IntegrationTest;
import io.sensorcast.testing.KafkaBrokerExtension;
import io.sensorcast.testing.NeedsNabData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

@IntegrationTest
@NeedsNabData
class RealBrokerForecastTest {

    @RegisterExtension
    static final KafkaBrokerExtension<EmbeddedKafkaBroker> KAFKA = KafkaBrokerExtension.plain();

    @TempDir
    Path stateDir;

    @Test
    void realSeriesUnderExactlyOnceGetExactlyOneForecastPerValidEventUnchangedByTheBadRecordsAround() throws Exception {
        BrokerForecastScenario.run(KAFKA.broker().bootstrapServers(), stateDir);
    }

    @Test
    void aMissingTopicStopsStartUpNamingItsKeyUnlessTopicsMayBeCreated() {
        PipelineConfig config = PipelineConfigLoader.parse("""
                name: missing-topics
                topics: {events: mt-events, forecasts: mt-forecasts, deadLetter: mt-dlq, models: mt-models,
                         control: mt-control}
                """).withKafka(Map.of("bootstrap.servers", KAFKA.broker().bootstrapServers()));
        KAFKA.broker().createTopics(Map.of("mt-events", 1, "mt-forecasts", 1));
        assertThatThrownBy(() -> PipelineTopics.ensure(config, 0)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("topics.deadLetter: topic 'mt-dlq' does not exist on "
                        + KAFKA.broker().bootstrapServers())
                .hasMessageContaining("--create-topics");
        PipelineTopics.ensure(config, 1);
        // Now they exist, so a start without creation passes.
        PipelineTopics.ensure(config, 0);
    }
}
