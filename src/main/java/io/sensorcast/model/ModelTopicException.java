package io.sensorcast.model;

/** The model topic could not be read or written (cluster unreachable, record too large, not authorised...). */
public class ModelTopicException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ModelTopicException(String message) {
        super(message);
    }

    public ModelTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
