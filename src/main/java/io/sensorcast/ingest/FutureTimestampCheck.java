package io.sensorcast.ingest;

import java.time.Clock;
import java.time.Instant;

/**
 * Rejects an event stamped further ahead of the wall clock than {@code limits.maxFutureSeconds}: accepted, such a
 * timestamp would make every later real event of its sensor stale. The parser stays free of the clock, so replays
 * of recorded or synthetic series are judged by their content alone; the stream applies this check after it.
 */
public final class FutureTimestampCheck {

    private final Clock clock;
    private final long maxFutureMillis;

    public FutureTimestampCheck(Clock clock, long maxFutureSeconds) {
        this.clock = clock;
        // The largest allowed bound, 10,000 years, is 3.2e14 ms: no overflow.
        this.maxFutureMillis = Math.multiplyExact(maxFutureSeconds, 1000L);
    }

    /** The rejection of {@code event}, or null when its timestamp is not too far ahead. */
    public Rejection check(SensorEvent event) {
        long now = clock.millis();
        if (event.timestampMs() - now <= maxFutureMillis) {
            return null;
        }
        return new Rejection(RejectReason.FUTURE_TIMESTAMP, "ts " + Instant.ofEpochMilli(event.timestampMs())
                + " is more than " + maxFutureMillis / 1000 + " s ahead of the service's clock ("
                + Instant.ofEpochMilli(now) + "); limit limits.maxFutureSeconds");
    }
}
