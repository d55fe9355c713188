package io.sensorcast.bench.service;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.ForecastJson;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.EventParser;
import io.sensorcast.ingest.ParseResult;
import io.sensorcast.model.ModelSources;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.state.SensorStateCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-event work of ours around the recurrent step, one operation at a time, on what the throughput
 * harness's workload produces with the default pipeline: parse an event's JSON, decode and encode its sensor's
 * state (replay window full), write its forecast's JSON (quantiles and anomaly score included). Sample mode, so
 * medians can be quoted on a shared machine; built only from classes that also exist at earlier commits, so
 * the same file measures a reference checkout.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class PerEventCodecBench {

    static final int KEYS = 64;

    /** {@value #KEYS} sensors of the harness workload, each past its replay window, with their last forecast. */
    @State(Scope.Thread)
    public static class Sensors {
        EventParser parser;
        SensorStateCodec codec;
        ForecastJson json;
        byte[][] keys;
        byte[][] events;
        byte[][] states;
        SensorState[] decoded;
        Forecast[] forecasts;
        int next;

        @Setup
        public void setUp() {
            PipelineConfig config = PipelineConfigLoader.parse("name: codec-bench\n");
            ServingModel model = ModelSources.initialServing(config, Optional.empty());
            SensorForecaster forecaster = new SensorForecaster(config, model.weights().spec(), StepListener.NONE);
            parser = new EventParser(config.parserSettings());
            codec = new SensorStateCodec();
            json = new ForecastJson(config.channels());
            int perKey = config.model().replayWindow() + 8;
            Workload workload = new Workload(perKey * KEYS, KEYS, 42);
            SensorState[] live = new SensorState[KEYS];
            keys = new byte[KEYS][];
            events = new byte[KEYS][];
            forecasts = new Forecast[KEYS];
            for (int i = 0; i < workload.events(); i++) {
                int k = i % KEYS;
                keys[k] = workload.sensorOf(i).getBytes(StandardCharsets.UTF_8);
                events[k] = workload.value(i);
                ParseResult parsed = parser.parse(keys[k], events[k]);
                live[k] = live[k] == null ? forecaster.newState() : live[k];
                forecasts[k] = forecaster.advance(live[k], ((ParseResult.Accepted) parsed).event(), model);
            }
            states = new byte[KEYS][];
            decoded = new SensorState[KEYS];
            for (int k = 0; k < KEYS; k++) {
                states[k] = codec.encode(live[k]);
                decoded[k] = codec.decode(states[k]);
            }
        }

        int nextKey() {
            int k = next;
            next = (k + 1) % KEYS;
            return k;
        }
    }

    @Benchmark
    public ParseResult parseEvent(Sensors s) {
        int k = s.nextKey();
        return s.parser.parse(s.keys[k], s.events[k]);
    }

    @Benchmark
    public SensorState decodeState(Sensors s) {
        return s.codec.decode(s.states[s.nextKey()]);
    }

    @Benchmark
    public byte[] encodeState(Sensors s) {
        return s.codec.encode(s.decoded[s.nextKey()]);
    }

    @Benchmark
    public byte[] writeForecast(Sensors s) {
        return s.json.write(s.forecasts[s.nextKey()]);
    }
}
