package io.sensorcast.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sensorcast.training.OnlineTrainer;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

/** The online trainer's rounds, losses and gradient figures. */
public final class TrainerMetrics {

    private final MeterRegistry registry;
    private final AtomicReference<OnlineTrainer.Round> last = new AtomicReference<>();

    public TrainerMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (OnlineTrainer.Outcome outcome : OnlineTrainer.Outcome.values()) {
            runs(outcome);
        }
        // Registered up front so dashboards and alerts see zeros rather than no series.
        for (String reason : new String[]{"non_finite", "worse_than_serving", "serving_changed", "other"}) {
            rejected(reason);
        }
        gauge("sensorcast.trainer.train.loss", "Training loss at the end of the last round (DL4J score)",
                r -> r.fit() == null ? Double.NaN : r.fit().lastLoss());
        gauge("sensorcast.trainer.validation.loss", "Held-out mean squared error of the last round's candidate",
                r -> r.scores() == null ? Double.NaN : r.scores().candidate());
        gauge("sensorcast.trainer.gradient.norm", "Mean pre-clip per-layer gradient L2 norm in the last round",
                r -> r.fit() == null ? Double.NaN : r.fit().meanPreClipNorm());
        gauge("sensorcast.trainer.gradient.norm.max", "Largest pre-clip per-layer gradient L2 norm in the last round",
                r -> r.fit() == null ? Double.NaN : r.fit().maxPreClipNorm());
        gauge("sensorcast.trainer.clipped.ratio", "Share of the last round's updates whose gradient was clipped",
                r -> r.fit() == null ? Double.NaN : r.fit().clippedFraction());
    }

    private void gauge(String name, String help, ToDoubleFunction<OnlineTrainer.Round> f) {
        Gauge.builder(name, last, ref -> ref.get() == null ? Double.NaN : f.applyAsDouble(ref.get()))
                .description(help).register(registry);
    }

    private Counter runs(OnlineTrainer.Outcome outcome) {
        return Counter.builder("sensorcast.trainer.runs").description("Training rounds, by outcome")
                .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(registry);
    }

    /** Records a finished round. */
    public void round(OnlineTrainer.Round round) {
        runs(round.outcome()).increment();
        if (round.outcome() != OnlineTrainer.Outcome.SKIPPED) {
            last.set(round);
        }
        if (round.outcome() == OnlineTrainer.Outcome.REJECTED) {
            rejected(rejectionCode(round.reason())).increment();
        }
    }

    private Counter rejected(String reason) {
        return Counter.builder("sensorcast.trainer.candidates.rejected").description("Candidates refused by the gate, or dropped because the serving model changed during the round, by reason")
                .tag("reason", reason).register(registry);
    }

    static String rejectionCode(String reason) {
        String r = reason.toLowerCase(Locale.ROOT);
        if (r.contains("serving model changed")) {
            return "serving_changed";
        }
        if (r.contains("nan") || r.contains("finite")) {
            return "non_finite";
        }
        if (r.contains("worse")) {
            return "worse_than_serving";
        }
        return "other";
    }
}
