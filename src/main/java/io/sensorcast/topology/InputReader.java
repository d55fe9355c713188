package io.sensorcast.topology;

import io.sensorcast.ingest.SensorInput;

/** Reads one raw record of an input topic into the input it holds, or the rejection that dead-letters it. */
@FunctionalInterface
interface InputReader<T extends SensorInput> {

    /**
     * @param key   the record key; null means "trust the payload's sensorId"
     * @param value the record value
     * @return {@link StageOutcome.Passed} with the input, or {@link StageOutcome.Rejected} with the record's bytes
     */
    StageOutcome<T> read(byte[] key, byte[] value);
}
