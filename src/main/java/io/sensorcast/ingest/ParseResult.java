package io.sensorcast.ingest;

/** Outcome of parsing one record: an accepted event or the reason it goes to the dead-letter topic. */
public sealed interface ParseResult permits ParseResult.Accepted, ParseResult.Rejected {

    /** The record is a valid event. */
    record Accepted(SensorEvent event) implements ParseResult {
    }

    /** The record breaks the event contract. */
    record Rejected(Rejection rejection) implements ParseResult {
    }
}
