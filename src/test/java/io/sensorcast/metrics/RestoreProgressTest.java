package io.sensorcast.metrics;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RestoreProgressTest {

    private static final TopicPartition P0 = new TopicPartition("app-sensor-state-changelog", 0);
    private static final TopicPartition P1 = new TopicPartition("app-sensor-state-changelog", 1);

    @Test
    void aRestoreThatEndsShortOfItsEndOffsetLeavesNothingRemaining() {
        // Under exactly-once the end offset counts transaction markers, which are never restored as records.
        RestoreProgress progress = new RestoreProgress();
        progress.onRestoreStart(P0, "sensor-state", 0, 10);
        progress.onBatchRestored(P0, "sensor-state", 9, 7);
        assertThat(progress.remaining()).isEqualTo(3);
        progress.onRestoreEnd(P0, "sensor-state", 7);
        assertThat(progress.remaining()).isZero();
    }

    @Test
    void partitionsAreCountedApartAndASuspendedRestoreNoLongerCounts() {
        RestoreProgress progress = new RestoreProgress();
        progress.onRestoreStart(P0, "sensor-state", 0, 100);
        progress.onRestoreStart(P1, "sensor-state", 50, 80);
        progress.onBatchRestored(P1, "sensor-state", 70, 20);
        assertThat(progress.remaining()).isEqualTo(110);
        progress.onRestoreSuspended(P0, "sensor-state", 0);
        assertThat(progress.remaining()).isEqualTo(10);
        // The same partition restored again after a rebalance starts afresh.
        progress.onRestoreStart(P0, "sensor-state", 40, 100);
        assertThat(progress.remaining()).isEqualTo(70);
    }
}
