package io.sensorcast.query;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order of sensor ids in the state store: their UTF-8 bytes, unsigned, as RocksDB sorts the keys. It differs from
 * {@link String#compareTo} for characters beyond U+FFFF, so pages merged from several instances use this one.
 */
public final class SensorIdOrder {

    public static final Comparator<String> COMPARATOR = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private SensorIdOrder() {
    }
}
