package io.sensorcast.ingest;

/** Why an event (or a control record) was sent to the dead-letter topic; the code travels in the {@code sensorcast.dlq.reason} header. */
public enum RejectReason {
    PAYLOAD_TOO_LARGE("payload is larger than the configured limit"),
    MALFORMED_JSON("payload is not a JSON object"),
    MISSING_FIELD("a required field is missing"),
    NON_NUMERIC_VALUE("a value is not a number"),
    INVALID_TIMESTAMP("ts is neither ISO-8601 nor epoch milliseconds"),
    FUTURE_TIMESTAMP("ts is further ahead of the wall clock than the configured limit"),
    NON_FINITE_VALUE("a value is NaN or infinite"),
    VALUE_OUT_OF_RANGE("a value's magnitude is above the configured limit"),
    UNKNOWN_CHANNEL("a channel is not in the pipeline's channel list"),
    KEY_MISMATCH("the record key differs from the event's sensorId"),
    INVALID_SENSOR_ID("sensorId is empty, too long or not a string"),
    STALE_TIMESTAMP("timestamp is not after the sensor's last accepted event"),
    UNKNOWN_ACTION("a control record's action is neither reset nor forget");

    private final String description;

    RejectReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
