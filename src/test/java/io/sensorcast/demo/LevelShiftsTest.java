package io.sensorcast.demo;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LevelShiftsTest {

    private static final long MINUTE_MS = SimulatedSensor.MINUTE_MS;
    private static final long DAY_MS = SimulatedSensor.DAY_MS;

    @Test
    void theOffsetHoldsBetweenStepsAndEachStepIsWithinItsSizesAndTheLimit() {
        LevelShifts shifts = new LevelShifts(3 * DAY_MS, 0.5, 1.5, 2);
        Random random = new Random(5);
        double previous = 0;
        int recorded = 0;
        for (long t = 0; t < 400 * DAY_MS; t += 10 * MINUTE_MS) {
            double offset = shifts.offsetAt(t, random);
            assertThat(Math.abs(offset)).isLessThanOrEqualTo(2.0);
            // The offset moves only by the steps recorded at this reading (rarely two fall between readings).
            List<LevelShift> history = shifts.history();
            double stepped = 0;
            for (LevelShift s : history.subList(recorded, history.size())) {
                assertThat(s.timestampMs()).isEqualTo(t);
                stepped += s.delta();
            }
            assertThat(offset - previous).isCloseTo(stepped, within(1e-9));
            recorded = history.size();
            previous = offset;
        }
        List<LevelShift> history = shifts.history();

        assertThat(history).allSatisfy(s -> assertThat(Math.abs(s.delta())).isBetween(0.5, 1.5));
        // Exponential spacing with a 3-day mean: about 133 steps in 400 days (standard deviation about 12).
        assertThat(history).hasSizeBetween(95, 175);
    }

    @Test
    void aLongGapTakesEveryStepDueInIt() {
        LevelShifts shifts = new LevelShifts(DAY_MS, 0.1, 0.2, 10);
        Random random = new Random(9);
        shifts.offsetAt(0, random);

        shifts.offsetAt(60 * DAY_MS, random);

        assertThat(shifts.history()).hasSizeGreaterThan(30)
                .allSatisfy(s -> assertThat(s.timestampMs()).isEqualTo(60 * DAY_MS));
    }

    @Test
    void rejectsSizesThatCannotFitTheLimit() {
        assertThatThrownBy(() -> new LevelShifts(DAY_MS, 1, 3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LevelShifts(DAY_MS, 0, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
