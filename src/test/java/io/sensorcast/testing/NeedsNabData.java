package io.sensorcast.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that reads the real NAB series in {@code ../shared/data/nab} (see {@link NabData}), so a
 * checkout without that directory knows which tests need it: {@code mvn test -DexcludedGroups=nab-data}
 * runs the unit loop without them.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag(NeedsNabData.TAG)
public @interface NeedsNabData {

    String TAG = "nab-data";
}
