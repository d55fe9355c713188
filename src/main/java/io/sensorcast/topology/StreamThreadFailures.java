package io.sensorcast.topology;

import java.time.Clock;
import java.time.Duration;

/**
 * Counts stream threads that died of an error, and tells when the stream cannot make progress: a second
 * failure within {@link #WINDOW} of the one before (a record that fails its task every time it is retried
 * kills each replacement thread within a minute or so), until a whole window has passed without one. A single
 * failure that the replacement thread gets past is not a stall.
 */
public final class StreamThreadFailures {

    /** How close two failures must be to count as a stall, and how long a stall lasts after the last one. */
    public static final Duration WINDOW = Duration.ofMinutes(10);

    private final Clock clock;
    private long count;
    private long previousMillis = Long.MIN_VALUE;
    private long lastMillis = Long.MIN_VALUE;

    public StreamThreadFailures(Clock clock) {
        this.clock = clock;
    }

    /** A stream thread died. */
    public synchronized void failed() {
        count++;
        previousMillis = lastMillis;
        lastMillis = clock.millis();
    }

    /** Stream threads that died since start. */
    public synchronized long count() {
        return count;
    }

    /** True while the stream keeps failing: two failures within the window, the last less than a window ago. */
    public synchronized boolean stalled() {
        long window = WINDOW.toMillis();
        return count >= 2 && lastMillis - previousMillis <= window && clock.millis() - lastMillis <= window;
    }
}
