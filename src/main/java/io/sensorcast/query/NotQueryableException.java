package io.sensorcast.query;

/** The store cannot answer now (a rebalance, a restore, the stream not running): a 503, to be retried. */
public final class NotQueryableException extends RuntimeException {

    public NotQueryableException(String message) {
        super(message);
    }

    public NotQueryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
