package io.sensorcast.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A fixed input for service tests: many sensors sending one reading a minute, interleaved round-robin as
 * devices would, with a broken record (a non-numeric value, which must become a dead letter and change
 * nothing) after every {@code badEvery}-th valid one.
 *
 * @param records every record in send order
 */
public record SensorWorkload(List<Input> records) {

    private static final long T0 = 1_764_000_000_000L;
    private static final long MINUTE = 60_000L;

    /** One record to send; {@code step} is the sensor's step number it must produce (0 for a bad record). */
    public record Input(String key, String json, boolean valid, long step) {
    }

    public SensorWorkload {
        records = List.copyOf(records);
    }

    public static SensorWorkload generate(int sensors, int eventsPerSensor, int badEvery) {
        List<Input> records = new ArrayList<>();
        int valid = 0;
        for (int i = 0; i < eventsPerSensor; i++) {
            for (int s = 0; s < sensors; s++) {
                String key = "sensor-" + String.format(Locale.ROOT, "%03d", s);
                long ts = T0 + i * MINUTE + s * 1_000L;
                double value = 20 + 5 * Math.sin(i / 9.0 + s) + (s % 7) * 0.25 + ((i * 31 + s) % 11) * 0.05;
                records.add(new Input(key, TopologyHarness.event(key, ts, value), true, i + 1));
                if (++valid % badEvery == 0) {
                    records.add(new Input(key, "{\"sensorId\":\"" + key + "\",\"ts\":" + ts + ",\"value\":\"n/a\"}",
                            false, 0));
                }
            }
        }
        return new SensorWorkload(records);
    }

    public int validCount() {
        return (int) records.stream().filter(Input::valid).count();
    }

    public int badCount() {
        return records.size() - validCount();
    }

    /** Each sensor's records in send order (valid and bad), which is the order its partition keeps. */
    public Map<String, List<Input>> bySensor() {
        Map<String, List<Input>> by = new LinkedHashMap<>();
        records.forEach(r -> by.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        return by;
    }
}
