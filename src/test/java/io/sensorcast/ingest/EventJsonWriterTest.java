package io.sensorcast.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventJsonWriterTest {

    private static final long TS = Instant.parse("2026-11-22T10:15:00Z").toEpochMilli();

    @Test
    void writesTheContractsSingleValueEvent() {
        assertThat(EventJsonWriter.write("pump-7", TS, 21.4))
                .isEqualTo("{\"sensorId\":\"pump-7\",\"ts\":\"2026-11-22T10:15:00Z\",\"value\":21.4}");
    }

    @Test
    void keepsMillisecondsInTheTimestamp() {
        assertThat(EventJsonWriter.write("pump-7", TS + 250, 1)).contains("\"ts\":\"2026-11-22T10:15:00.250Z\"");
    }

    @Test
    void escapesSensorIdsAndChannelNames() throws Exception {
        String json = EventJsonWriter.write("a\"b\\c", TS, List.of("t\"1", "rh"), new double[] {1, 2});

        var event = new ObjectMapper().readTree(json);
        assertThat(event.get("sensorId").asText()).isEqualTo("a\"b\\c");
        assertThat(event.get("values").get("t\"1").asDouble()).isEqualTo(1);
    }

    @Test
    void refusesNonFiniteValues() {
        assertThatThrownBy(() -> EventJsonWriter.write("pump-7", TS, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesMismatchedChannelsAndValues() {
        assertThatThrownBy(() -> EventJsonWriter.write("pump-7", TS, List.of("a", "b"), new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
