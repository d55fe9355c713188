package io.sensorcast.ingest;

/** A parsed record addressed to one sensor's state: a reading, or a command about the sensor. */
public sealed interface SensorInput permits SensorEvent, SensorControl {

    /** The sensor, which is also the record's key downstream. */
    String sensorId();

    /** The record's original value bytes, for the dead-letter topic. */
    byte[] original();
}
