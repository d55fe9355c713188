package io.sensorcast.state;

/** Stored state bytes that cannot be decoded: unknown format version, truncated or inconsistent. */
public final class StateFormatException extends IllegalStateException {

    public StateFormatException(String message) {
        super(message);
    }
}
