package io.sensorcast.metrics;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Changelog records still to restore, per store partition. A partition's count ends when its restore ends or is
 * suspended, whatever the batches added up to: under exactly-once the changelog's end offset also counts
 * transaction markers, which are never restored, so subtracting batches alone left a few records "remaining"
 * for good.
 */
final class RestoreProgress implements StateRestoreListener {

    private final Map<String, Long> remaining = new ConcurrentHashMap<>();

    /** Records still to restore over all partitions being restored. */
    long remaining() {
        return remaining.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
        remaining.put(store + "/" + partition, Math.max(0, end - start));
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long restored) {
        remaining.computeIfPresent(store + "/" + partition, (k, left) -> Math.max(0, left - restored));
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        remaining.remove(store + "/" + partition);
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        remaining.remove(store + "/" + partition);
    }
}
