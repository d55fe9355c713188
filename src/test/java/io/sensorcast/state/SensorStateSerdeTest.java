package io.sensorcast.state;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorStateSerdeTest {

    private final SensorStateSerde serde = new SensorStateSerde();

    @Test
    void nullStaysNullInBothDirections() {
        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
    }

    @Test
    void stateRoundTripsThroughTheSerde() {
        SensorState state = SensorStateCodecTest.filled(new SensorState(2, new int[] {4, 4}, true, 3, 3, 5, SensorStateCodecTest.SEASONS), 7);

        byte[] bytes = serde.serializer().serialize("sensor-state-changelog", state);
        SensorState decoded = serde.deserializer().deserialize("sensor-state-changelog", bytes);

        assertThat(bytes).isEqualTo(new SensorStateCodec().encode(state));
        SensorStateCodecTest.assertSameState(decoded, state);
    }

    @Test
    void undecodableBytesSurfaceAsSerializationExceptionNamingTheProblem() {
        assertThatThrownBy(() -> serde.deserializer().deserialize("sensor-state-changelog", new byte[] {9}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("sensor-state-changelog")
                .hasMessageContaining("unsupported state format version 9")
                .hasCauseInstanceOf(StateFormatException.class);
    }
}
