package io.sensorcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** The query API's metrics: requests by endpoint and status with their latency, and calls forwarded to other instances. */
public final class QueryMetrics {

    private final MeterRegistry registry;

    public QueryMetrics(MeterRegistry registry) {
        this.registry = registry;
        // At zero from the start, so rate() over them works before the first forwarded call (a single instance never has one).
        for (String target : new String[] {"active", "standby", "list"}) {
            forwardedCounter(target);
        }
    }

    /**
     * One answered request.
     *
     * @param endpoint {@code sensor} (GET /sensors/{id}), {@code sensors} (GET /sensors) or {@code other}
     * @param status   the HTTP status sent
     */
    public void answered(String endpoint, int status, long nanos) {
        // Micrometer keeps one timer per tag set; endpoints and statuses are few and fixed.
        Timer.builder("sensorcast.query.duration")
                .description("Time to answer a /sensors request, forwarded calls included, by endpoint and HTTP status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(60)).register(registry)
                .record(Duration.ofNanos(nanos));
    }

    /** One call to another instance, by what it asked for: {@code active}, {@code standby} or {@code list}. */
    public void forwarded(String target) {
        forwardedCounter(target).increment();
    }

    private Counter forwardedCounter(String target) {
        return Counter.builder("sensorcast.query.forwarded")
                .description("Query calls forwarded to another instance, by the copy asked for (active, standby, list)")
                .tag("target", target).register(registry);
    }
}
