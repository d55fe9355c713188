package io.sensorcast.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilterReply;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PromtoolCompliantNamesTest {

    private final PromtoolCompliantNames filter = new PromtoolCompliantNames();

    private Meter.Id id(String name, Meter.Type type, String unit, String description) {
        return new Meter.Id(name, Tags.of("client.id", "c1"), unit, description, type);
    }

    @Test
    void upstreamMetersInSubSecondUnitsAreLeftOutAndOthersKept() {
        assertThat(filter.accept(id("kafka.consumer.io.time.ns.avg", Meter.Type.GAUGE, null, "x")))
                .isEqualTo(MeterFilterReply.DENY);
        assertThat(filter.accept(id("kafka.app.info.start-time-ms", Meter.Type.GAUGE, null, "x")))
                .isEqualTo(MeterFilterReply.DENY);
        assertThat(filter.accept(id("process.cpu.time", Meter.Type.COUNTER, "ns", "x"))).isEqualTo(MeterFilterReply.DENY);
        assertThat(filter.accept(id("kafka.consumer.fetch.manager.records.lag.max", Meter.Type.GAUGE, null, "x")))
                .isEqualTo(MeterFilterReply.NEUTRAL);
        assertThat(filter.accept(id("sensorcast.step.duration", Meter.Type.TIMER, "ms", "x")))
                .isEqualTo(MeterFilterReply.NEUTRAL);
    }

    @Test
    void aGaugeCountedByACountSuffixBecomesAPlural() {
        assertThat(filter.map(id("kafka.consumer.connection.count", Meter.Type.GAUGE, null, "x")).getName())
                .isEqualTo("kafka.consumer.connections");
        assertThat(filter.map(id("kafka.records.count", Meter.Type.COUNTER, null, "x")).getName())
                .isEqualTo("kafka.records.count");
    }

    @Test
    void upstreamMetersWithoutADescriptionGetOneAndOwnMetersAreUntouched() {
        Meter.Id mapped = filter.map(id("kafka.node.request.latency.avg", Meter.Type.GAUGE, null, null));
        assertThat(mapped.getDescription()).contains("kafka.node.request.latency.avg");
        assertThat(mapped.getTags()).isEqualTo(Tags.of("client.id", "c1").stream().toList());
        Meter.Id own = id("sensorcast.step.duration", Meter.Type.TIMER, null, "d");
        assertThat(filter.map(own)).isSameAs(own);
    }
}
