package io.sensorcast.demo;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SensorSimulatorTest {

    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");
    // Strict JSON, as the service should parse it.
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<SimulatedRecord> take(SensorSimulator simulator, int count) {
        List<SimulatedRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(simulator.next());
        }
        return records;
    }

    @Test
    void sameSeedGivesTheSameRecordsAndAnotherSeedDoesNot() {
        List<SimulatedRecord> first = take(new SensorSimulator(42, START, 0.05), 3_000);
        List<SimulatedRecord> again = take(new SensorSimulator(42, START, 0.05), 3_000);
        List<SimulatedRecord> other = take(new SensorSimulator(43, START, 0.05), 3_000);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void simulatesSevenSensorsThatAllReport() {
        SensorSimulator simulator = new SensorSimulator(1, START);

        assertThat(simulator.sensorIds()).containsExactly("machine-temp-1", "room-temp-2", "pump-pressure-3",
                "traffic-speed-4", "server-cpu-5", "web-requests-6", "room-temp-7");
        assertThat(take(simulator, 2_000)).extracting(SimulatedRecord::key)
                .containsAll(simulator.sensorIds());
    }

    @Test
    void recordsComeInEventTimeOrderFromTheStartOn() {
        List<SimulatedRecord> records = take(new SensorSimulator(7, START, 0.05), 20_000);

        assertThat(records.get(0).timestampMs()).isGreaterThanOrEqualTo(START.toEpochMilli());
        for (int i = 1; i < records.size(); i++) {
            assertThat(records.get(i).timestampMs()).isGreaterThanOrEqualTo(records.get(i - 1).timestampMs());
        }
    }

    @Test
    void eventTimesStrictlyIncreasePerSensorExceptStaleRecords() throws Exception {
        Map<String, Long> lastGood = new HashMap<>();
        int stale = 0;
        for (SimulatedRecord record : take(new SensorSimulator(7, START, 0.05), 20_000)) {
            if (record.defect() == RecordDefect.NONE || record.defect() == RecordDefect.STALE_TIMESTAMP) {
                long ts = Instant.parse(JSON.readTree(record.value()).get("ts").asText()).toEpochMilli();
                Long previous = lastGood.get(record.key());
                if (record.defect() == RecordDefect.NONE) {
                    assertThat(previous == null || ts > previous).as("%s after %s", record, previous).isTrue();
                    lastGood.put(record.key(), ts);
                } else {
                    stale++;
                    assertThat(ts).as("%s", record).isLessThan(previous);
                }
            }
        }
        assertThat(stale).isPositive();
    }

    @Test
    void everyGoodRecordIsStrictJsonInTheEventContract() throws Exception {
        for (SimulatedRecord record : take(new SensorSimulator(11, START), 20_000)) {
            if (record.intendedBad()) {
                continue;
            }
            JsonNode event = JSON.readTree(record.value());
            assertThat(event.isObject()).isTrue();
            assertThat(event.properties()).extracting(Map.Entry::getKey).containsExactly("sensorId", "ts", "value");
            assertThat(event.get("sensorId").asText()).isEqualTo(record.key());
            assertThat(event.get("ts").isTextual()).isTrue();
            assertThat(Instant.parse(event.get("ts").asText()).toEpochMilli()).isEqualTo(record.timestampMs());
            assertThat(event.get("value").isNumber()).isTrue();
            assertThat(event.get("value").asDouble()).isEqualTo(record.trueValue());
        }
    }

    @Test
    void badRecordsComeAtRoughlyTheRequestedRateAndInEveryKind() {
        int count = 20_000;
        Map<RecordDefect, Integer> byDefect = new EnumMap<>(RecordDefect.class);
        for (SimulatedRecord record : take(new SensorSimulator(3, START), count)) {
            byDefect.merge(record.defect(), 1, Integer::sum);
        }
        int bad = count - byDefect.getOrDefault(RecordDefect.NONE, 0);

        // Default rate 1%: 200 expected, the binomial standard deviation is 14.
        assertThat(bad).isBetween(140, 260);
        assertThat(byDefect.keySet()).containsExactlyInAnyOrder(RecordDefect.values());
    }

    @Test
    void zeroRateGivesOnlyGoodRecords() {
        assertThat(take(new SensorSimulator(3, START, 0), 5_000)).noneMatch(SimulatedRecord::intendedBad);
    }

    @Test
    void badRecordsAreBrokenTheWayTheirDefectSays() throws Exception {
        ObjectMapper lenient = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
        int checked = 0;
        for (SimulatedRecord record : take(new SensorSimulator(5, START, 0.2), 5_000)) {
            if (!record.intendedBad()) {
                continue;
            }
            checked++;
            assertThat(record.trueValue()).isNull();
            switch (record.defect()) {
                case MALFORMED_JSON -> assertThatThrownBy(() -> JSON.readTree(record.value()))
                        .as("%s", record).isInstanceOf(JsonProcessingException.class);
                case NON_NUMERIC_VALUE -> assertThat(JSON.readTree(record.value()).get("value").isTextual()).isTrue();
                case NAN_TOKEN -> {
                    assertThatThrownBy(() -> JSON.readTree(record.value())).isInstanceOf(JsonProcessingException.class);
                    assertThat(lenient.readTree(record.value()).get("value").asDouble()).isNaN();
                }
                case STALE_TIMESTAMP -> assertThat(JSON.readTree(record.value()).get("value").isNumber()).isTrue();
                default -> throw new AssertionError("unexpected defect " + record.defect());
            }
        }
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void badRecordRateDoesNotChangeTheSensorsSignals() {
        List<SimulatedRecord> clean = take(new SensorSimulator(9, START, 0), 2_000);
        List<SimulatedRecord> noisy = take(new SensorSimulator(9, START, 0.3), 2_000);

        for (int i = 0; i < clean.size(); i++) {
            assertThat(noisy.get(i).key()).isEqualTo(clean.get(i).key());
            assertThat(noisy.get(i).timestampMs()).isEqualTo(clean.get(i).timestampMs());
            if (!noisy.get(i).intendedBad()) {
                assertThat(noisy.get(i).value()).isEqualTo(clean.get(i).value());
            }
        }
    }

    @Test
    void sensorsHaveTheirOwnScalesAndCadences() {
        Map<String, List<SimulatedRecord>> bySensor = new HashMap<>();
        for (SimulatedRecord record : take(new SensorSimulator(13, START, 0), 30_000)) {
            bySensor.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record);
        }

        assertThat(values(bySensor.get("machine-temp-1"))).allSatisfy(v -> assertThat(v).isBetween(50.0, 110.0));
        assertThat(values(bySensor.get("room-temp-2"))).allSatisfy(v -> assertThat(v).isBetween(14.0, 28.0));
        assertThat(values(bySensor.get("pump-pressure-3"))).allSatisfy(v -> assertThat(v).isBetween(2.5, 6.0));
        assertThat(values(bySensor.get("traffic-speed-4"))).allSatisfy(v -> assertThat(v).isBetween(3.0, 85.0));
        assertThat(values(bySensor.get("server-cpu-5"))).allSatisfy(v -> assertThat(v).isBetween(0.0, 100.0));
        assertThat(values(bySensor.get("web-requests-6")))
                .allSatisfy(v -> assertThat(v).isBetween(0.0, 10_000.0).isEqualTo(Math.rint(v)));
        assertThat(values(bySensor.get("room-temp-7"))).allSatisfy(v -> assertThat(v).isBetween(14.0, 30.0));

        assertThat(intervalsMinutes(bySensor.get("machine-temp-1"))).containsOnly(5L);
        assertThat(intervalsMinutes(bySensor.get("room-temp-2"))).containsOnly(10L);
        assertThat(intervalsMinutes(bySensor.get("pump-pressure-3"))).containsOnly(1L);
        assertThat(intervalsMinutes(bySensor.get("server-cpu-5"))).containsOnly(5L);
        assertThat(intervalsMinutes(bySensor.get("web-requests-6"))).containsOnly(10L);
        assertThat(intervalsMinutes(bySensor.get("room-temp-7"))).containsOnly(15L);
        List<Long> traffic = intervalsMinutes(bySensor.get("traffic-speed-4"));
        assertThat(traffic).allSatisfy(m -> assertThat(m).isBetween(3L, 180L));
        assertThat(traffic.stream().distinct().count()).as("irregular cadence").isGreaterThan(5);
        assertThat(traffic).as("outages").anySatisfy(m -> assertThat(m).isGreaterThanOrEqualTo(30L));
    }

    @Test
    void machineTemperatureFollowsADailyCycle() {
        // Mean by hour of day over three weeks: the afternoon runs several degrees warmer than the early morning.
        double[] sum = new double[24];
        int[] count = new int[24];
        SensorSimulator simulator = new SensorSimulator(17, START, 0);
        while (true) {
            SimulatedRecord record = simulator.next();
            if (record.timestampMs() > START.plusSeconds(21 * 86_400).toEpochMilli()) {
                break;
            }
            if (record.key().equals("machine-temp-1")) {
                int hour = (int) ((record.timestampMs() / 3_600_000) % 24);
                sum[hour] += record.trueValue();
                count[hour]++;
            }
        }
        assertThat(sum[15] / count[15] - sum[3] / count[3]).isGreaterThan(4.0);
    }

    @Test
    void rejectsABadRecordRateOutsideZeroToOne() {
        assertThatThrownBy(() -> new SensorSimulator(1, START, 1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SensorSimulator(1, START, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Double> values(List<SimulatedRecord> records) {
        return records.stream().map(SimulatedRecord::trueValue).toList();
    }

    private static List<Long> intervalsMinutes(List<SimulatedRecord> records) {
        List<Long> minutes = new ArrayList<>();
        for (int i = 1; i < records.size(); i++) {
            minutes.add((records.get(i).timestampMs() - records.get(i - 1).timestampMs()) / 60_000);
        }
        return minutes;
    }
}
