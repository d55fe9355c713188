package io.sensorcast.ingest;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParserSettingsTest {

    @Test
    void channelOnlyConstructorUsesTheDocumentedDefaults() {
        ParserSettings settings = new ParserSettings(List.of("value"));

        assertThat(settings.maxPayloadBytes()).isEqualTo(4096);
        assertThat(settings.maxAbsValue()).isEqualTo(1e12);
        assertThat(settings.maxSensorIdLength()).isEqualTo(256);
    }

    @Test
    void channelsAreCopiedAndUnmodifiable() {
        List<String> channels = new ArrayList<>(List.of("temp", "rh"));
        ParserSettings settings = new ParserSettings(channels);
        channels.add("co2");

        assertThat(settings.channels()).containsExactly("temp", "rh");
        assertThatThrownBy(() -> settings.channels().add("co2")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void missingOrEmptyChannelListIsRejected() {
        assertThatThrownBy(() -> new ParserSettings(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels");
        assertThatThrownBy(() -> new ParserSettings(List.of())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channels");
    }

    @Test
    void blankOrNullChannelNameIsRejected() {
        assertThatThrownBy(() -> new ParserSettings(List.of("temp", " ")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel names");
        assertThatThrownBy(() -> new ParserSettings(Arrays.asList("temp", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel names");
    }

    @Test
    void duplicateChannelIsRejectedNamingIt() {
        assertThatThrownBy(() -> new ParserSettings(List.of("temp", "rh", "temp")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"temp\" is listed twice");
    }

    @Test
    void nonPositiveLimitsAreRejectedNamingTheLimit() {
        List<String> ch = List.of("value");
        assertThatThrownBy(() -> new ParserSettings(ch, 0, 1e12, 256)).hasMessageContaining("maxPayloadBytes");
        assertThatThrownBy(() -> new ParserSettings(ch, 4096, 0, 256)).hasMessageContaining("maxAbsValue");
        assertThatThrownBy(() -> new ParserSettings(ch, 4096, -1, 256)).hasMessageContaining("maxAbsValue");
        assertThatThrownBy(() -> new ParserSettings(ch, 4096, 1e12, 0)).hasMessageContaining("maxSensorIdLength");
    }

    @Test
    void nanOrInfiniteValueLimitIsRejected() {
        List<String> ch = List.of("value");
        assertThatThrownBy(() -> new ParserSettings(ch, 4096, Double.NaN, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAbsValue");
        assertThatThrownBy(() -> new ParserSettings(ch, 4096, Double.POSITIVE_INFINITY, 256))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxAbsValue");
    }
}
