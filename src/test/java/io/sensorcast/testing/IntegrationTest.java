package io.sensorcast.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that starts a Kafka broker, a child JVM or an external tool (promtool, docker-compose, Helm's
 * renderer): it runs under failsafe in {@code mvn verify}, not in the {@code mvn test} unit loop, because
 * those parts take seconds each to start.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(IntegrationTest.TAG)
public @interface IntegrationTest {

    /** The JUnit tag the pom's surefire excludes and failsafe selects. */
    String TAG = "integration";
}
