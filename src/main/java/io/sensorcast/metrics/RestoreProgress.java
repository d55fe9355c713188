package io.sensorcast.metrics;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Changelog records still to restore, per store partition, and a log line at INFO for each restore with its record
 * count and duration. A partition's count ends when its restore ends or is suspended, whatever the batches added
 * up to: under exactly-once the changelog's end offset also counts transaction markers, which are never restored,
 * so subtracting batches alone left a few records "remaining" for good.
 */
final class RestoreProgress implements StateRestoreListener {

    private static final Logger LOG = LoggerFactory.getLogger(RestoreProgress.class);

    private final Map<String, Long> remaining = new ConcurrentHashMap<>();
    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();

    /** Records still to restore over all partitions being restored. */
    long remaining() {
        return remaining.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long start, long end) {
        remaining.put(store + "/" + partition, Math.max(0, end - start));
        startedNanos.put(store + "/" + partition, System.nanoTime());
        LOG.info("Restoring store {} from {}: {} changelog records to read (offsets {} to {})", store, partition,
                end - start, start, end);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEnd, long restored) {
        remaining.computeIfPresent(store + "/" + partition, (k, left) -> Math.max(0, left - restored));
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        remaining.remove(store + "/" + partition);
        LOG.info("Restored store {} from {}: {} records in {} ms", store, partition, totalRestored,
                elapsedMs(store, partition));
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        remaining.remove(store + "/" + partition);
        LOG.info("Restoring store {} from {} suspended (partition moved) after {} records in {} ms", store,
                partition, totalRestored, elapsedMs(store, partition));
    }

    private long elapsedMs(String store, TopicPartition partition) {
        Long started = startedNanos.remove(store + "/" + partition);
        return started == null ? -1 : TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }
}
