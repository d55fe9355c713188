package io.sensorcast.state;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AcceptedEventsTest {

    private static double[] values(double... v) {
        return v;
    }

    @Test
    void anEventIsRecognisedOnlyWithTheSameTimestampAndTheSameValues() {
        AcceptedEvents events = new AcceptedEvents();
        events.add(1000, values(1.5, -2.0));
        assertThat(events.contains(1000, values(1.5, -2.0))).isTrue();
        assertThat(events.contains(1000, values(1.5, -2.5))).isFalse();
        assertThat(events.contains(1000, values(-2.0, 1.5))).isFalse();
        assertThat(events.contains(1001, values(1.5, -2.0))).isFalse();
    }

    @Test
    void holdsAtMostCapacityEventsForgettingTheOldest() {
        AcceptedEvents events = new AcceptedEvents();
        int n = AcceptedEvents.CAPACITY + 5;
        for (int i = 0; i < n; i++) {
            events.add(i, values(i));
        }
        assertThat(events.size()).isEqualTo(AcceptedEvents.CAPACITY);
        assertThat(events.contains(4, values(4))).isFalse();
        assertThat(events.contains(5, values(5))).isTrue();
        assertThat(events.contains(n - 1, values(n - 1))).isTrue();
        assertThat(events.encode()).hasSize(2 + 16 * AcceptedEvents.CAPACITY);
    }

    @Test
    void encodingRoundTripsAndKeepsTheOrderOfForgetting() {
        AcceptedEvents events = new AcceptedEvents();
        for (int i = 0; i < AcceptedEvents.CAPACITY + 3; i++) {
            events.add(i, values(i));
        }
        AcceptedEvents copy = AcceptedEvents.decode(events.encode());
        assertThat(copy.encode()).isEqualTo(events.encode());
        copy.add(100, values(100));
        assertThat(copy.contains(3, values(3))).as("the oldest goes first after decoding too").isFalse();
        assertThat(copy.contains(4, values(4))).isTrue();
        assertThat(AcceptedEvents.decode(new AcceptedEvents().encode()).size()).isZero();
    }

    @Test
    void bytesOfAnotherFormatOrLengthAreRefused() {
        byte[] good = new AcceptedEvents().encode();
        assertThatThrownBy(() -> AcceptedEvents.decode(new byte[] {2, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> AcceptedEvents.decode(new byte[] {1, 1, 0})).isInstanceOf(SerializationException.class);
        assertThatThrownBy(() -> AcceptedEvents.decode(new byte[0])).isInstanceOf(SerializationException.class);
        assertThat(good).containsExactly(1, 0);
    }
}
