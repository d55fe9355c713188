package io.sensorcast.testing;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Sends a workload's records in order from a background thread at a steady rate, so a test can kill or
 * stop the service while input is still arriving. Records from {@code holdFrom} on wait for
 * {@link #release()}, which guarantees that whatever the test does before releasing happens mid-stream.
 * Remembers where each record landed and when it was sent.
 */
public final class PacedProducer implements AutoCloseable {

    /** Where a record landed and when its send began ({@link System#nanoTime()}). */
    public record Sent(int partition, long offset, long sentNanos) {
    }

    private final List<SensorWorkload.Input> records;
    private final AtomicReferenceArray<Sent> sent;
    private final AtomicInteger sentCount = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean stopped;

    public PacedProducer(String bootstrap, String topic, SensorWorkload workload, double perSecond, int holdFrom) {
        this.records = workload.records();
        this.sent = new AtomicReferenceArray<>(records.size());
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long intervalNanos = (long) (1e9 / perSecond);
        this.thread = new Thread(() -> {
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                    new StringSerializer())) {
                long next = System.nanoTime();
                for (int i = 0; i < records.size() && !stopped; i++) {
                    if (i == holdFrom) {
                        released.await();
                        next = System.nanoTime();
                    }
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    next += intervalNanos;
                    int index = i;
                    long at = System.nanoTime();
                    SensorWorkload.Input r = records.get(i);
                    producer.send(new ProducerRecord<>(topic, r.key(), r.json()), (meta, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        } else {
                            sent.set(index, new Sent(meta.partition(), meta.offset(), at));
                            sentCount.incrementAndGet();
                        }
                    });
                }
                producer.flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                failure.compareAndSet(null, e);
            }
        }, "paced-producer");
        thread.setDaemon(true);
    }

    public PacedProducer start() {
        thread.start();
        return this;
    }

    /** Lets the held-back records go. */
    public void release() {
        released.countDown();
    }

    /** Records acknowledged by the broker so far. */
    public int sentCount() {
        return sentCount.get();
    }

    public boolean finished() {
        return !thread.isAlive();
    }

    /** Waits until every record was sent and acknowledged; fails on a send error. */
    public void awaitDone(Duration timeout) throws InterruptedException {
        release();
        thread.join(timeout.toMillis());
        if (thread.isAlive()) {
            throw new AssertionError("producer still sending after " + timeout.toSeconds() + " s (" + sentCount()
                    + " of " + records.size() + " acknowledged)");
        }
        if (failure.get() != null) {
            throw new AssertionError("a send failed", failure.get());
        }
        if (sentCount() != records.size()) {
            throw new AssertionError(sentCount() + " of " + records.size() + " records acknowledged");
        }
    }

    /** Where record {@code index} landed, or null if it was not acknowledged. */
    public Sent sent(int index) {
        return sent.get(index);
    }

    /** Stops sending (records not yet sent stay unsent) and waits until those sent are acknowledged. */
    public void stop() throws InterruptedException {
        stopped = true;
        release();
        thread.join(30_000);
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
