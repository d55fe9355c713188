package io.sensorcast.demo;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Produces a simulator's records to a Kafka topic on its own thread until closed: at a steady wall-clock rate while
 * simulated time is behind the wall clock (a backfill), then no faster than real time, so that no record is stamped
 * in the future. A broker limits how far ahead a timestamp may be ({@code message.timestamp.after.max.ms}, one hour
 * by default) and the service rejects events more than {@code limits.maxFutureSeconds} ahead.
 */
public final class SimulatorRunner implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatorRunner.class);

    // After a stall longer than this the runner resumes at its rate instead of bursting to catch up.
    private static final long MAX_CATCH_UP_NS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final SensorSimulator simulator;
    private final Producer<String, byte[]> producer;
    private final String topic;
    private final long nanosPerRecord;
    private final Clock clock;
    private final Thread thread;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private boolean closed;

    /**
     * @param producer        taken over by the runner, which closes it
     * @param eventsPerSecond wall-clock rate; simulated time runs as fast as the rate and the sensors' cadences imply
     */
    public SimulatorRunner(SensorSimulator simulator, Producer<String, byte[]> producer, String topic,
                           double eventsPerSecond) {
        this(simulator, producer, topic, eventsPerSecond, Clock.systemUTC());
    }

    /** As above, holding each record until {@code clock} reaches its simulated time. */
    public SimulatorRunner(SensorSimulator simulator, Producer<String, byte[]> producer, String topic,
                           double eventsPerSecond, Clock clock) {
        if (!(eventsPerSecond > 0) || Double.isInfinite(eventsPerSecond)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive, was " + eventsPerSecond);
        }
        this.simulator = simulator;
        this.producer = producer;
        this.topic = topic;
        this.nanosPerRecord = Math.max(1, Math.round(1e9 / eventsPerSecond));
        this.clock = clock;
        this.thread = new Thread(this::produce, "sensor-simulator");
        this.thread.setDaemon(true);
    }

    /** A runner with its own idempotent {@code acks=all} producer for the given cluster. */
    public static SimulatorRunner toKafka(SensorSimulator simulator, String bootstrapServers, String topic,
                                          double eventsPerSecond) {
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                producerConfig(bootstrapServers), new StringSerializer(), new ByteArraySerializer());
        return new SimulatorRunner(simulator, producer, topic, eventsPerSecond);
    }

    static Map<String, Object> producerConfig(String bootstrapServers) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "sensorcast-simulator",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5);
    }

    /** Starts producing; returns at once. */
    public SimulatorRunner start() {
        thread.start();
        return this;
    }

    /** Records handed to the producer so far. */
    public long sentCount() {
        return sent.get();
    }

    /** Records the cluster acknowledged so far. */
    public long acknowledgedCount() {
        return acknowledged.get();
    }

    /** Records the producer gave up on so far. */
    public long failedCount() {
        return failed.get();
    }

    private void produce() {
        long dueNs = System.nanoTime();
        SimulatedRecord pending = null;
        while (running) {
            long waitNs = dueNs - System.nanoTime();
            if (waitNs > 0) {
                LockSupport.parkNanos(this, waitNs);
                continue;
            }
            if (-waitNs > MAX_CATCH_UP_NS) {
                dueNs = System.nanoTime();
            }
            SimulatedRecord record = pending != null ? pending : simulator.next();
            long aheadMs = record.timestampMs() - clock.millis();
            if (aheadMs > 0) {
                // Caught up with the wall clock: wait for the reading's time, in slices so that close() is prompt.
                pending = record;
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(Math.min(aheadMs, 200)));
                dueNs = System.nanoTime();
                continue;
            }
            pending = null;
            try {
                producer.send(new ProducerRecord<>(topic, null, record.timestampMs(), record.key(), record.value()),
                        (metadata, error) -> {
                            if (error == null) {
                                acknowledged.incrementAndGet();
                            } else if (failed.getAndIncrement() == 0) {
                                log.warn("Simulated record to {} failed; later failures are only counted", topic, error);
                            }
                        });
                sent.incrementAndGet();
            } catch (InterruptException e) {
                break;
            } catch (KafkaException e) {
                failed.incrementAndGet();
                log.warn("Cannot send a simulated record to {}", topic, e);
            }
            dueNs += nanosPerRecord;
        }
    }

    /** Stops producing, waits for outstanding sends and closes the producer; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        LockSupport.unpark(thread);
        try {
            if (thread.isAlive()) {
                thread.join(CLOSE_TIMEOUT.toMillis());
            }
            if (thread.isAlive()) {
                // Only a send blocked on an unreachable cluster takes this long; interrupting aborts it.
                thread.interrupt();
                thread.join(CLOSE_TIMEOUT.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(CLOSE_TIMEOUT);
        log.info("Simulator stopped: {} records sent to {}, {} acknowledged, {} failed",
                sent.get(), topic, acknowledged.get(), failed.get());
    }
}
