package io.sensorcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorcast.model.ModelRegistry;
import io.sensorcast.model.ServingModel;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The serving model's version, its swaps and refused model records. */
public final class ModelMetrics {

    private final MeterRegistry registry;
    private final Counter swaps;

    /** The reason codes of {@link #reasonCode}; registered up front so dashboards and alerts see zeros. */
    static final List<String> REFUSAL_REASONS = List.of("checksum", "non_finite", "shape", "corrupt", "other");

    public ModelMetrics(MeterRegistry registry, ModelRegistry models) {
        this.registry = registry;
        REFUSAL_REASONS.forEach(reason -> refusedCounter(reason));
        Gauge.builder("sensorcast.model.version", models, m -> m.current().version())
                .description("Version of the model serving events").register(registry);
        this.swaps = Counter.builder("sensorcast.model.swaps").description("Models swapped into serving")
                .register(registry);
        // The serving model's own creation time, not the moment this process loaded it: a restart must not make an
        // ageing model look new to "no swap for too long", nor hide from "trainer rejecting all" that one was accepted.
        long startedEpochSeconds = System.currentTimeMillis() / 1000;
        Gauge.builder("sensorcast.model.last.swap.timestamp", models,
                        m -> createdEpochSeconds(m.current(), startedEpochSeconds))
                .baseUnit("seconds")
                .description("Unix time the serving model was accepted (its metadata's createdAt; start-up if unknown)")
                .register(registry);
        models.onSwap(m -> swaps.increment());
    }

    /** When {@code model} was created, from its metadata; {@code fallback} when it carries none. */
    static long createdEpochSeconds(ServingModel model, long fallback) {
        if (model == null || model.metadata() == null || model.metadata().createdAt() == null) {
            return fallback;
        }
        try {
            return Instant.parse(model.metadata().createdAt()).getEpochSecond();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** A model record or file was refused; {@code reason} is a short code such as checksum or shape. */
    public void refused(String reason) {
        refusedCounter(reason).increment();
    }

    private Counter refusedCounter(String reason) {
        return Counter.builder("sensorcast.model.refused").description("Model records refused, by reason")
                .tag("reason", reason).register(registry);
    }

    private static final Pattern NON_FINITE_WORDS =
            Pattern.compile("\\b(nan|infinite|infinity|non-finite|not finite)\\b");

    /** A short, bounded reason code for a refusal message (keeps the reason label's cardinality small). */
    public static String reasonCode(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("checksum")) {
            return "checksum";
        }
        // Whole words only: a topic, pipeline or path such as "maintenance-models" must not read as NaN.
        if (NON_FINITE_WORDS.matcher(m).find()) {
            return "non_finite";
        }
        if (m.contains("shape") || m.contains("does not fit") || m.contains("parameters")) {
            return "shape";
        }
        if (m.contains("format") || m.contains("envelope") || m.contains("truncated") || m.contains("base64")) {
            return "corrupt";
        }
        return "other";
    }
}
