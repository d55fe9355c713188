package io.sensorcast.testing;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.ingest.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Reads the forecast and dead-letter topics with a {@code read_committed} consumer on a background thread,
 * as a downstream application would, and keeps every record with the time it arrived.
 */
public final class OutputCollector implements AutoCloseable {

    /** A forecast as read, with its partition and arrival time ({@link System#nanoTime()}). */
    public record Received(Forecast forecast, int partition, long arrivedNanos) {
    }

    /** A dead letter as read: its reason header and the original record's bytes as text. */
    public record DeadLetter(String reason, String value) {
    }

    private final String forecastTopic;
    private final ForecastJson json;
    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> forecasts = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    public OutputCollector(String bootstrap, PipelineConfig config) {
        this.forecastTopic = config.topics().forecasts();
        this.json = new ForecastJson(config.channels());
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "collector-" + config.name());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(forecastTopic, config.topics().deadLetter()));
        this.thread = new Thread(this::poll, "output-collector");
        thread.setDaemon(true);
        thread.start();
    }

    private void poll() {
        try {
            while (true) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    synchronized (this) {
                        if (r.topic().equals(forecastTopic)) {
                            forecasts.add(new Received(json.read(r.value()), r.partition(), now));
                        } else {
                            deadLetters.add(new DeadLetter(DeadLetterHeaders.text(r.headers(), DeadLetterHeaders.REASON).orElse(null),
                                    r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
                        }
                    }
                }
            }
        } catch (WakeupException stop) {
            // close() asked us to stop
        } catch (Throwable e) {
            failure.set(e);
        } finally {
            consumer.close();
        }
    }

    public synchronized int forecastCount() {
        return forecasts.size();
    }

    public synchronized int deadLetterCount() {
        return deadLetters.size();
    }

    public synchronized List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    public synchronized List<Received> received() {
        return List.copyOf(forecasts);
    }

    /** The forecasts read so far per sensor, in the order they arrived. */
    public synchronized Map<String, List<Forecast>> bySensor() {
        Map<String, List<Forecast>> by = new LinkedHashMap<>();
        forecasts.forEach(r -> by.computeIfAbsent(r.forecast().sensorId(), k -> new ArrayList<>()).add(r.forecast()));
        return by;
    }

    /** Waits for a condition on what was read; fails with {@code what} and the counts on timeout. */
    public void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (failure.get() != null) {
                throw new AssertionError("the collector failed", failure.get());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + " ("
                        + forecastCount() + " forecasts, " + deadLetterCount() + " dead letters read)");
            }
            Thread.sleep(50);
        }
    }

    /** Waits until at least these counts were read, then {@code settle} longer so late duplicates show too. */
    public void awaitAtLeast(int forecastCount, int deadLetterCount, Duration timeout, Duration settle)
            throws InterruptedException {
        await(() -> forecastCount() >= forecastCount && deadLetterCount() >= deadLetterCount, timeout,
                forecastCount + " forecasts and " + deadLetterCount + " dead letters");
        Thread.sleep(settle.toMillis());
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
