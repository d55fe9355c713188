package io.sensorcast.demo;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The weekly patterns, trends and level shifts that let a model trained on the simulator know seasons. */
class SimulatedSensorPatternsTest {

    // A Sunday, as in SensorSimulatorTest.
    private static final Instant START = Instant.parse("2026-11-22T00:00:00Z");
    private static final long DAY_MS = SimulatedSensor.DAY_MS;
    private static final long WEEK_MS = 7 * DAY_MS;

    private record Reading(long timestampMs, double value) {
    }

    private static Map<String, List<Reading>> simulate(long seed, int days) {
        Map<String, List<Reading>> bySensor = new HashMap<>();
        long end = START.toEpochMilli() + days * DAY_MS;
        SensorSimulator simulator = new SensorSimulator(seed, START, 0);
        for (SimulatedRecord r = simulator.next(); r.timestampMs() < end; r = simulator.next()) {
            bySensor.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(new Reading(r.timestampMs(), r.trueValue()));
        }
        return bySensor;
    }

    private static List<Reading> readUntil(SimulatedSensor sensor, long endMs) {
        List<Reading> readings = new ArrayList<>();
        while (sensor.nextTimestampMs() < endMs) {
            long ts = sensor.nextTimestampMs();
            readings.add(new Reading(ts, sensor.read()));
        }
        return readings;
    }

    /**
     * Per week (Monday to Sunday in the sensor's local time), the weekend mean minus the weekday mean; the median over
     * weeks, so a level shift or a trend inside one week cannot decide the result.
     */
    private static double medianWeekendMinusWeekday(List<Reading> readings, int utcOffsetHours) {
        Map<Long, double[]> byWeek = new HashMap<>();
        for (Reading r : readings) {
            long local = r.timestampMs() + utcOffsetHours * SimulatedSensor.HOUR_MS;
            long week = Math.floorDiv(local + 3 * DAY_MS, WEEK_MS);
            double[] sums = byWeek.computeIfAbsent(week, w -> new double[4]);
            int part = SimulatedSensor.isWeekend(local) ? 2 : 0;
            sums[part] += r.value();
            sums[part + 1]++;
        }
        double[] differences = byWeek.values().stream()
                // Only whole weeks: a week cut by the start or end compares a few days with a full part.
                .filter(s -> s[1] > 0 && s[3] > 0 && s[3] / (s[1] + s[3]) > 0.25 && s[3] / (s[1] + s[3]) < 0.32)
                .mapToDouble(s -> s[2] / s[3] - s[0] / s[1]).sorted().toArray();
        assertThat(differences.length).as("whole weeks").isGreaterThanOrEqualTo(6);
        return differences[differences.length / 2];
    }

    @Test
    void weekendsDifferFromWeekdaysForEverySensorWhoseUsersKeepAWorkingWeek() {
        Map<String, List<Reading>> s = simulate(17, 56);

        // Lighter production load: a cooler machine.
        assertThat(medianWeekendMinusWeekday(s.get("machine-temp-1"), 0)).isLessThan(-2.0);
        // Heating setback, in each office's own time zone.
        assertThat(medianWeekendMinusWeekday(s.get("room-temp-2"), 0)).isLessThan(-1.5);
        assertThat(medianWeekendMinusWeekday(s.get("room-temp-7"), 9)).isLessThan(-1.5);
        // Less demand, so less pressure lost in the pipes.
        assertThat(medianWeekendMinusWeekday(s.get("pump-pressure-3"), 0)).isGreaterThan(0.07);
        // No rush hours.
        assertThat(medianWeekendMinusWeekday(s.get("traffic-speed-4"), 0)).isGreaterThan(1.0);
        // Fewer users.
        assertThat(medianWeekendMinusWeekday(s.get("server-cpu-5"), 0)).isLessThan(-6.0);
        assertThat(medianWeekendMinusWeekday(s.get("web-requests-6"), 0)).isLessThan(-100.0);
    }

    @Test
    void trafficSlowsInTheRushHoursOnWeekdaysOnly() {
        double[] weekday = new double[2];
        double[] weekend = new double[2];
        for (Reading r : simulate(19, 42).get("traffic-speed-4")) {
            double hour = SimulatedSensor.hourOfDay(r.timestampMs());
            if ((hour >= 7.5 && hour < 8.5) || (hour >= 17 && hour < 18)) {
                double[] sums = SimulatedSensor.isWeekend(r.timestampMs()) ? weekend : weekday;
                sums[0] += r.value();
                sums[1]++;
            }
        }
        assertThat(weekend[0] / weekend[1] - weekday[0] / weekday[1]).isGreaterThan(12.0);
    }

    @Test
    void aPumpSetpointChangeHoldsForTheWholeFollowingWeek() {
        long startMs = START.toEpochMilli();
        PumpPressureSensor pump = new PumpPressureSensor(23, startMs);
        long endMs = startMs + 20 * WEEK_MS;
        List<Reading> readings = readUntil(pump, endMs);
        List<LevelShift> shifts = pump.levelShifts();

        int checked = 0;
        for (int i = 0; i < shifts.size(); i++) {
            long at = shifts.get(i).timestampMs();
            long previous = i == 0 ? startMs : shifts.get(i - 1).timestampMs();
            long next = i + 1 < shifts.size() ? shifts.get(i + 1).timestampMs() : endMs;
            if (at - previous < WEEK_MS || next - at < WEEK_MS) {
                continue;
            }
            // Whole weeks either side, so the weekly demand pattern cancels out of the difference.
            double before = mean(readings, at - WEEK_MS, at);
            double delta = shifts.get(i).delta();
            assertThat(mean(readings, at, at + WEEK_MS) - before).as("week after %s", shifts.get(i))
                    .isCloseTo(delta, org.assertj.core.data.Offset.offset(0.15));
            // Not fading back: the week's last two days still sit at the new level (against the same days before).
            assertThat(mean(readings, at + 5 * DAY_MS, at + WEEK_MS) - mean(readings, at - 2 * DAY_MS, at))
                    .as("days 6 and 7 after %s", shifts.get(i)).isCloseTo(delta, org.assertj.core.data.Offset.offset(0.2));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(2);
        assertThat(shifts).allSatisfy(s -> assertThat(Math.abs(s.delta())).isBetween(0.25, 0.6));
    }

    @Test
    void machineMaintenanceHappensOnSaturdaysAndItsNewOperatingPointHolds() {
        long startMs = START.toEpochMilli();
        MachineTemperatureSensor machine = new MachineTemperatureSensor(29, startMs);
        long endMs = startMs + 20 * WEEK_MS;
        List<Reading> readings = readUntil(machine, endMs);
        List<LevelShift> maintenances = machine.levelShifts();

        assertThat(maintenances).hasSizeBetween(6, 20);
        assertThat(maintenances).allSatisfy(m -> assertThat(SimulatedSensor.dayOfWeek(m.timestampMs())).isEqualTo(5));
        int checked = 0;
        for (LevelShift m : maintenances) {
            long nextMonday = m.timestampMs() - Math.floorMod(m.timestampMs(), DAY_MS) + 2 * DAY_MS;
            if (m.delta() < -6 && nextMonday + 5 * DAY_MS <= endMs) {
                // A big clean-up: the next working week runs clearly cooler than the one before it.
                double weekBefore = mean(readings, nextMonday - WEEK_MS, nextMonday - 2 * DAY_MS);
                double weekAfter = mean(readings, nextMonday, nextMonday + 5 * DAY_MS);
                assertThat(weekAfter - weekBefore).as("%s", m).isLessThan(-1.0);
                checked++;
            }
        }
        assertThat(checked).isPositive();
        // Cleaning keeps fouling from running away, however long the run.
        assertThat(readings).allSatisfy(r -> assertThat(r.value()).isBetween(55.0, 100.0));
    }

    @Test
    void sameSeedGivesIdenticalRecordsOverWeeksOfTrendsAndLevelShifts() throws Exception {
        byte[] first = digest(new SensorSimulator(31, START, 0.02), 42);
        byte[] again = digest(new SensorSimulator(31, START, 0.02), 42);
        byte[] other = digest(new SensorSimulator(32, START, 0.02), 42);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    private static byte[] digest(SensorSimulator simulator, int days) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long end = START.toEpochMilli() + days * DAY_MS;
        for (SimulatedRecord r = simulator.next(); r.timestampMs() < end; r = simulator.next()) {
            sha.update(r.key().getBytes(StandardCharsets.UTF_8));
            sha.update(r.value());
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(r.timestampMs()).array());
            sha.update(r.defect().name().getBytes(StandardCharsets.UTF_8));
        }
        return sha.digest();
    }

    private static double mean(List<Reading> readings, long fromMs, long toMs) {
        return readings.stream().filter(r -> r.timestampMs() >= fromMs && r.timestampMs() < toMs)
                .mapToDouble(Reading::value).average().orElseThrow();
    }
}
