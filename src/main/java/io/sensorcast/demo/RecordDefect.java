package io.sensorcast.demo;

/** How a simulated record was deliberately broken, so the demo exercises the dead-letter path. */
public enum RecordDefect {
    /** A well-formed event. */
    NONE,
    /** The payload is not JSON: cut off mid-object, or a device's plain-text debug line. */
    MALFORMED_JSON,
    /** The value is a JSON string such as {@code "n/a"} instead of a number. */
    NON_NUMERIC_VALUE,
    /** The value is the bare token {@code NaN}, which strict JSON does not allow. */
    NAN_TOKEN,
    /** A well-formed event whose timestamp is older than the sensor's previous good event. */
    STALE_TIMESTAMP
}
