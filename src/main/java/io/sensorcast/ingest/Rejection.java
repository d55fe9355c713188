package io.sensorcast.ingest;

/** A rejected event: the reason code and a human-readable detail naming the offending field. */
public record Rejection(RejectReason reason, String detail) {
}
