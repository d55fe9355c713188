package io.sensorcast.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.config.MeterFilterReply;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Makes the upstream meters (Kafka clients through Micrometer's binder, Micrometer's process binder) pass
 * {@code promtool check metrics}: meters measured in nanoseconds or milliseconds are left out (Prometheus
 * wants seconds, and a filter can rename but not rescale; they are Kafka's internal io/wait timings and the
 * process CPU time, whose usage ratio stays), a trailing {@code count} on a gauge becomes a plural
 * ({@code connection_count} becomes {@code connections}), and a meter without a description gets one.
 * Our own {@code sensorcast_*} meters are named compliantly and pass through unchanged.
 */
final class PromtoolCompliantNames implements MeterFilter {

    @Override
    public MeterFilterReply accept(Meter.Id id) {
        if (id.getName().startsWith("sensorcast.")) {
            return MeterFilterReply.NEUTRAL;
        }
        boolean subSecondUnit = "ns".equals(id.getBaseUnit()) || "ms".equals(id.getBaseUnit())
                || Arrays.stream(id.getName().split("[.\\-_]")).anyMatch(t -> t.equals("ns") || t.equals("ms"));
        return subSecondUnit ? MeterFilterReply.DENY : MeterFilterReply.NEUTRAL;
    }

    @Override
    public Meter.Id map(Meter.Id id) {
        if (id.getName().startsWith("sensorcast.")) {
            return id;
        }
        List<String> tokens = new ArrayList<>(Arrays.asList(id.getName().split("[.\\-_]")));
        int last = tokens.size() - 1;
        if (last > 0 && tokens.get(last).equals("count") && id.getType() != Meter.Type.COUNTER
                && id.getType() != Meter.Type.DISTRIBUTION_SUMMARY && id.getType() != Meter.Type.TIMER) {
            tokens.remove(last);
            tokens.set(last - 1, tokens.get(last - 1) + "s");
        }
        String description = id.getDescription() == null || id.getDescription().isBlank()
                ? "Upstream metric " + id.getName().toLowerCase(Locale.ROOT) + " (no description given by its source)"
                : id.getDescription();
        return new Meter.Id(String.join(".", tokens), Tags.of(id.getTagsAsIterable()),
                id.getBaseUnit(), description, id.getType());
    }
}
