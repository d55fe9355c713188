package io.sensorcast.demo;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.ingest.DeadLetterHeaders;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.ingest.RejectReason;
import io.sensorcast.ingest.SensorEvent;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Reads the events, forecasts and dead letters topics as a user would (read_committed) and prints, per
 * sensor, the latest value next to the forecast made for it one step earlier, with a running error summary.
 */
public final class LiveForecastConsole implements Runnable, AutoCloseable {

    private static final DateTimeFormatter SIM_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    private final PipelineConfig config;
    private final PrintStream out;
    private final Duration printEvery;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final EventParser parser;
    private final ForecastJson forecastJson;
    private final Map<String, SensorView> sensors = new TreeMap<>();
    private final Map<RejectReason, Long> deadLetters = new EnumMap<>(RejectReason.class);
    private volatile boolean running = true;
    private long eventsSeen;
    private volatile long forecastsSeen;
    private volatile long deadLetterTotal;
    private double sumAbsError;
    private double sumAbsNaive;
    private long scored;
    private long latestModel;

    /** What the console knows of one sensor. */
    private static final class SensorView {
        final Map<Long, Double> actualByTs = new HashMap<>();
        final ArrayDeque<Forecast> pending = new ArrayDeque<>();
        Forecast lastForecast;
        double lastActual = Double.NaN;
        double lastError = Double.NaN;
        double sumAbsError;
        double sumAbsNaive;
        long scored;
    }

    public LiveForecastConsole(PipelineConfig config, String bootstrapServers, PrintStream out, Duration printEvery) {
        this.config = config;
        this.out = out;
        this.printEvery = printEvery;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "sensorcast-demo-console-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.parser = new EventParser(config.parserSettings());
        this.forecastJson = new ForecastJson(config.channels());
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(config.topics().events(), config.topics().forecasts(), config.topics().deadLetter()));
        long nextPrint = System.nanoTime() + printEvery.toNanos();
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(config.topics().events())) {
                        onEvent(r);
                    } else if (r.topic().equals(config.topics().forecasts())) {
                        onForecast(forecastJson.read(r.value()));
                    } else {
                        DeadLetterHeaders.reason(r.headers()).ifPresent(reason -> deadLetters.merge(reason, 1L, Long::sum));
                        deadLetterTotal++;
                    }
                }
                if (System.nanoTime() >= nextPrint) {
                    print();
                    nextPrint = System.nanoTime() + printEvery.toNanos();
                }
            }
        } catch (WakeupException e) {
            // close() was called: stop quietly.
        } finally {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(2)));
        }
    }

    private void onEvent(ConsumerRecord<byte[], byte[]> r) {
        if (parser.parse(r.key(), r.value()) instanceof ParseResult.Accepted accepted) {
            SensorEvent e = accepted.event();
            SensorView view = sensors.computeIfAbsent(e.sensorId(), k -> new SensorView());
            view.actualByTs.put(e.timestampMs(), e.value(0));
            eventsSeen++;
            drain(view);
        }
    }

    private void onForecast(Forecast f) {
        SensorView view = sensors.computeIfAbsent(f.sensorId(), k -> new SensorView());
        view.pending.add(f);
        forecastsSeen++;
        latestModel = Math.max(latestModel, f.modelVersion());
        drain(view);
    }

    /** Matches forecasts with the values of the events they were made at, in step order. */
    private void drain(SensorView view) {
        while (!view.pending.isEmpty()) {
            Forecast f = view.pending.peek();
            Double actual = view.actualByTs.remove(f.timestampMs());
            if (actual == null) {
                return;
            }
            view.pending.poll();
            if (view.lastForecast != null && view.lastForecast.step() == f.step() - 1) {
                double error = actual - view.lastForecast.value(1, 0);
                double naive = actual - view.lastActual;
                view.lastError = error;
                view.sumAbsError += Math.abs(error);
                view.sumAbsNaive += Math.abs(naive);
                view.scored++;
                double scale = Math.max(Math.abs(view.lastActual), 1e-9);
                // Relative errors let sensors of different scales share one summary line.
                sumAbsError += Math.abs(error) / scale;
                sumAbsNaive += Math.abs(naive) / scale;
                scored++;
            }
            view.lastForecast = f;
            view.lastActual = actual;
        }
    }

    private void print() {
        String dead = deadLetters.values().stream().mapToLong(Long::longValue).sum() + (deadLetters.isEmpty() ? ""
                : " (" + deadLetters.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ")");
        out.printf("%n-- %s -- model v%d -- events %,d - forecasts %,d - dead letters %s%n",
                LocalTime.now().truncatedTo(ChronoUnit.SECONDS), latestModel, eventsSeen, forecastsSeen, dead);
        out.printf("%-18s %-17s %10s %10s %9s   %s%n", "sensor", "event time (UTC)", "actual", "forecast",
                "error", "next " + config.horizon() + " forecasts");
        for (var e : sensors.entrySet()) {
            SensorView v = e.getValue();
            if (v.lastForecast == null) {
                continue;
            }
            StringBuilder next = new StringBuilder();
            for (int k = 1; k <= v.lastForecast.horizon(); k++) {
                next.append(String.format("%.2f ", v.lastForecast.value(k, 0)));
            }
            double forecastForActual = v.lastActual - v.lastError;
            out.printf("%-18s %-17s %10.2f %10s %9s   %s%n", e.getKey(),
                    SIM_TIME.format(Instant.ofEpochMilli(v.lastForecast.timestampMs())), v.lastActual,
                    Double.isNaN(v.lastError) ? "-" : String.format("%.2f", forecastForActual),
                    Double.isNaN(v.lastError) ? "-" : String.format("%+.2f", v.lastError), next.toString().trim());
        }
        if (scored > 0) {
            out.printf("running mean absolute error at h=1, relative to the value: model %.2f%% | persistence %.2f%%"
                            + " | skill %+.0f%% (%,d forecasts scored)%n", 100 * sumAbsError / scored,
                    100 * sumAbsNaive / scored, 100 * (1 - sumAbsError / Math.max(sumAbsNaive, 1e-12)), scored);
        }
        out.flush();
    }

    /** Total forecasts read so far (for tests and the demo's exit summary). */
    public long forecastsSeen() {
        return forecastsSeen;
    }

    /** Dead letters read so far. */
    public long deadLettersSeen() {
        return deadLetterTotal;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
