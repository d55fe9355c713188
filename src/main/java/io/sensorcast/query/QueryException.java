package io.sensorcast.query;

/** A request the API refuses: the HTTP status, a stable error code and a message for the caller. */
public final class QueryException extends RuntimeException {

    private final int status;
    private final String code;

    public QueryException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
