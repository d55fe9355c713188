package io.sensorcast.replay;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.ingest.CsvSeries;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;
import io.sensorcast.testing.NabData;
import io.sensorcast.testing.NeedsNabData;
import io.sensorcast.training.OnlineTrainer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@NeedsNabData
class ReplayDeterminismTest {

    @Test
    void replayingTheSameInputWithAFixedSeedGivesTheSameForecastsAndModelVersions() {
        PipelineConfig config = PipelineConfigLoader.parse("""
                training: {everySamples: 600, maxKeys: 4, stepsPerKey: 400, windowLength: 64, tbpttLength: 32,
                           batchSize: 8, epochs: 1, seed: 11}
                """);
        CsvSeries series = NabData.series("realTraffic/speed_7578.csv");
        List<ReplayRunner.RawEvent> events = new ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            events.add(new ReplayRunner.RawEvent(series.name().getBytes(StandardCharsets.UTF_8),
                    series.toEventJson(i).getBytes(StandardCharsets.UTF_8)));
        }
        ServingModel bootstrap = ModelSources.toServing(ModelSources.initial(config));

        List<ReplayRunner.Row> first = new ArrayList<>();
        ReplayRunner.Result a = new ReplayRunner(config, bootstrap, true).run(events, first::add, i -> { });
        List<ReplayRunner.Row> second = new ArrayList<>();
        ReplayRunner.Result b = new ReplayRunner(config, bootstrap, true).run(events, second::add, i -> { });

        assertThat(a.rounds()).extracting(OnlineTrainer.Round::outcome).contains(OnlineTrainer.Outcome.ACCEPTED);
        assertThat(b.rounds()).extracting(OnlineTrainer.Round::outcome)
                .isEqualTo(a.rounds().stream().map(OnlineTrainer.Round::outcome).toList());
        assertThat(b.finalModelVersion()).isEqualTo(a.finalModelVersion()).isGreaterThan(1);
        assertThat(second).hasSameSizeAs(first);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i).modelVersion()).isEqualTo(first.get(i).modelVersion());
            assertThat(second.get(i).forecast()).as("row %d", i).containsExactly(first.get(i).forecast());
        }
    }
}
