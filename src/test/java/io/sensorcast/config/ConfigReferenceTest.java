package io.sensorcast.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The configuration reference in docs/configuration.md is the declaration in ConfigKeys, nothing else. */
class ConfigReferenceTest {

    private static final Path REFERENCE = Path.of("docs/configuration.md");
    private static final String BEGIN = "<!-- generated from ConfigKeys: begin -->\n";
    private static final String END = "<!-- generated from ConfigKeys: end -->";

    @Test
    void docsTableEqualsTheDeclarationOfEveryKey() throws IOException {
        String doc = Files.readString(REFERENCE);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertThat(begin).as("%s holds the generated table between %s and %s", REFERENCE, BEGIN.strip(), END)
                .isNotNegative();
        assertThat(end).isGreaterThan(begin);
        assertThat(doc.substring(begin + BEGIN.length(), end))
                .as("docs/configuration.md is out of date: replace its table with `sensorcast config --describe`")
                .isEqualTo(ConfigKeys.referenceTable());
    }

    @Test
    void everyDeclaredDefaultIsWhatAnEmptyFileLoadsAs() {
        PipelineConfig empty = PipelineConfigLoader.parse("");
        for (ConfigKeys.Key key : ConfigKeys.values()) {
            Object loaded = key.value().apply(empty);
            assertThat(loaded).as(key.name()).isEqualTo(key.def());
        }
    }

    @Test
    void everyDeclaredDefaultPassesItsOwnValidator() {
        PipelineConfig empty = PipelineConfigLoader.parse("");
        for (ConfigKeys.Key key : ConfigKeys.values()) {
            assertThat(key.validator().accepts().test(key.def(), empty)).as(key.name()).isTrue();
        }
    }

    @Test
    void everyKeyOfTheSettingsRecordsIsDeclared() {
        for (var section : new Class<?>[]{TopicNames.class, FeatureSettings.class, ModelSettings.class,
                LimitSettings.class, StateSettings.class, TrainingSettings.class, MetricsSettings.class}) {
            String prefix = switch (section.getSimpleName()) {
                case "TopicNames" -> "topics";
                case "FeatureSettings" -> "features";
                case "ModelSettings" -> "model";
                case "LimitSettings" -> "limits";
                case "StateSettings" -> "state";
                case "TrainingSettings" -> "training";
                default -> "metrics";
            };
            for (var component : section.getRecordComponents()) {
                assertThat(ConfigKeys.find(prefix + "." + component.getName())).as(prefix + "." + component.getName())
                        .isPresent();
            }
        }
    }
}
