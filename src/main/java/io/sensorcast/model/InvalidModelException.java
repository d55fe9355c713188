package io.sensorcast.model;

/** A model that must not serve: unreadable, checksum mismatch, wrong shape or non-finite weights. */
public class InvalidModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidModelException(String message) {
        super(message);
    }

    public InvalidModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
