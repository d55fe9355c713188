package io.sensorcast.demo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record from the simulator, ready to produce to Kafka.
 *
 * @param key         the sensor id
 * @param value       the UTF-8 event JSON, or a deliberately broken payload
 * @param timestampMs the simulated moment the device sent the record (the Kafka record timestamp); for good
 *                    records it equals the event's {@code ts}
 * @param defect      how the record was broken, {@link RecordDefect#NONE} for a good record
 * @param trueValue   the value the event carries, exactly as rendered; null for a broken record
 */
public record SimulatedRecord(String key, byte[] value, long timestampMs, RecordDefect defect, Double trueValue) {

    public SimulatedRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(defect, "defect");
        value = value.clone();
        if ((defect == RecordDefect.NONE) != (trueValue != null)) {
            throw new IllegalArgumentException("a good record needs a true value and a broken one has none");
        }
    }

    /** True when the record was broken on purpose and the service should dead-letter it. */
    public boolean intendedBad() {
        return defect != RecordDefect.NONE;
    }

    /** The payload as text. */
    public String valueAsString() {
        return new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SimulatedRecord r && key.equals(r.key) && Arrays.equals(value, r.value)
                && timestampMs == r.timestampMs && defect == r.defect && Objects.equals(trueValue, r.trueValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, Arrays.hashCode(value), timestampMs, defect, trueValue);
    }

    @Override
    public String toString() {
        return "SimulatedRecord[" + key + " @" + timestampMs + " " + defect + " " + valueAsString() + "]";
    }
}
