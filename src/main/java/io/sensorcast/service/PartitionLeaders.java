package io.sensorcast.service;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits until the leader of every partition of newly created topics serves requests for it.
 *
 * <p>Why: a broker publishes a new topic in its metadata a moment before it creates the partitions' logs. An
 * idempotent producer that writes in that moment with several requests in flight can have its first request
 * refused (NOT_LEADER_OR_FOLLOWER) and a later one accepted; every retry of the first then fails with
 * OUT_OF_ORDER_SEQUENCE_NUMBER until {@code delivery.timeout.ms} drops its records (KAFKA-14359, KAFKA-15591),
 * silently unless the sender checks each send. A partition whose leader answers a ListOffsets request has its
 * log, so producers that start after this returns cannot hit that moment.
 */
public final class PartitionLeaders {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionLeaders.class);

    private PartitionLeaders() {
    }

    /**
     * Returns once each partition's leader answers for it, polling through the retriable errors of a topic still
     * being created; returns at once, with a log line, where the caller may not describe the topics.
     *
     * @param partitionsByTopic each new topic's partition count
     * @throws TimeoutException when some leader has not answered within {@code timeout}
     */
    public static void awaitServing(Admin admin, Map<String, Integer> partitionsByTopic, Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitionsByTopic.forEach((topic, partitions) -> {
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
        });
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long leftMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                admin.listOffsets(latest).all().get(leftMs, TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthorizationException) {
                    LOG.info("Not allowed to list the offsets of {}; not waiting for their leaders",
                            partitionsByTopic.keySet());
                    return;
                }
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
