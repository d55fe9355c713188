package io.sensorcast.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test with no broker or external tool that still takes long (a property run over the whole
 * topology, a series of DL4J fits with timing assertions that a busy machine makes slow): like {@link IntegrationTest} it runs under failsafe in {@code mvn verify}, so that
 * {@code mvn test} stays a unit loop of well under a minute.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(LongRunning.TAG)
// jqwik properties report their tags through jqwik's own annotation.
@net.jqwik.api.Tag(LongRunning.TAG)
public @interface LongRunning {

    /** The JUnit tag the pom's surefire excludes and failsafe selects. */
    String TAG = "long-running";
}
