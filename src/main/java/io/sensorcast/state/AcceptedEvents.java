package io.sensorcast.state;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

import java.nio.ByteBuffer;

/**
 * The last {@link #CAPACITY} events one sensor accepted, each as its timestamp and a 64-bit fingerprint of
 * its values: what it takes to recognise an at_least_once redelivery of an event already applied to the
 * sensor's state. Kept in its own store beside {@link SensorState} (only under at_least_once), so the
 * sensor state's format is untouched.
 */
public final class AcceptedEvents {

    /** Events remembered per sensor: redeliveries of older ones are not recognised. */
    public static final int CAPACITY = 32;

    private static final byte FORMAT = 1;

    private final long[] timestamps = new long[CAPACITY];
    private final long[] fingerprints = new long[CAPACITY];
    private int count;
    private int next;

    /** Whether an event with this timestamp and these values is among those remembered. */
    public boolean contains(long timestampMs, double[] values) {
        long fingerprint = fingerprint(values);
        for (int i = 0; i < count; i++) {
            if (timestamps[i] == timestampMs && fingerprints[i] == fingerprint) {
                return true;
            }
        }
        return false;
    }

    /** Remembers an accepted event, forgetting the oldest once {@link #CAPACITY} are held. */
    public void add(long timestampMs, double[] values) {
        timestamps[next] = timestampMs;
        fingerprints[next] = fingerprint(values);
        next = (next + 1) % CAPACITY;
        count = Math.min(count + 1, CAPACITY);
    }

    /** Events remembered. */
    public int size() {
        return count;
    }

    /** One format byte, a count, then (timestamp, fingerprint) pairs oldest first. */
    public byte[] encode() {
        ByteBuffer out = ByteBuffer.allocate(2 + count * 16);
        out.put(FORMAT).put((byte) count);
        for (int i = 0; i < count; i++) {
            int slot = Math.floorMod(next - count + i, CAPACITY);
            out.putLong(timestamps[slot]).putLong(fingerprints[slot]);
        }
        return out.array();
    }

    /** Reads what {@link #encode} wrote. */
    public static AcceptedEvents decode(byte[] bytes) {
        if (bytes.length < 2 || bytes[0] != FORMAT || bytes[1] < 0 || bytes[1] > CAPACITY
                || bytes.length != 2 + bytes[1] * 16) {
            throw new SerializationException("not an accepted-events record of format " + FORMAT + " (" + bytes.length
                    + " bytes)");
        }
        AcceptedEvents events = new AcceptedEvents();
        ByteBuffer in = ByteBuffer.wrap(bytes, 2, bytes.length - 2);
        for (int i = 0; i < bytes[1]; i++) {
            events.timestamps[i] = in.getLong();
            events.fingerprints[i] = in.getLong();
        }
        events.count = bytes[1];
        events.next = events.count % CAPACITY;
        return events;
    }

    /** Kafka serde for the store; null stays null. */
    public static Serde<AcceptedEvents> serde() {
        return Serdes.serdeFrom((topic, events) -> events == null ? null : events.encode(),
                (topic, bytes) -> bytes == null ? null : decode(bytes));
    }

    /** A seeded 64-bit mix of the values' bits (SplitMix64's finaliser per value). */
    static long fingerprint(double[] values) {
        long h = 0x9E3779B97F4A7C15L;
        for (double v : values) {
            long z = h ^ Double.doubleToLongBits(v);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            h = z ^ (z >>> 31);
        }
        return h;
    }
}
