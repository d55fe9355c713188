package io.sensorcast.topology;

import io.sensorcast.ingest.Rejection;

/** What a topology stage emits per record: a value to pass on, or the original record to dead-letter. */
public sealed interface StageOutcome<V> {

    /** The record passed this stage. */
    record Passed<V>(V value) implements StageOutcome<V> {
    }

    /** The record is rejected; {@code key} and {@code value} are its original bytes. */
    record Rejected<V>(byte[] key, byte[] value, Rejection rejection) implements StageOutcome<V> {
    }

    default boolean isRejected() {
        return this instanceof Rejected;
    }
}
