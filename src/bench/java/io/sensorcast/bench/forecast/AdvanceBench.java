package io.sensorcast.bench.forecast;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.state.SensorState;
import io.sensorcast.testing.TestModels;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One event through {@link SensorForecaster#advance} (statistics, features, seasonal context, change
 * calibration, the recurrent step and the head) with and without the seasonal context and the calibration, so
 * their per-event cost is the difference of two rows measured in one run.
 *
 * <p>{@value #KEYS} sensors at a 5-minute cadence with a daily cycle, each warmed up for eight days so its
 * daily and weekly profiles are populated and every calibration share is live; events go round-robin over the
 * sensors, as a partition's interleaved keys do. Sample mode, so medians can be quoted.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class AdvanceBench {

    static final int KEYS = 64;
    static final long FIVE_MINUTES = 300_000L;
    static final long START = 1_790_000_000_000L;
    static final int WARM_UP_STEPS = 8 * 288;

    /** The per-event core under one pipeline variant, its sensors warmed up. */
    @State(Scope.Thread)
    public static class Sensors {
        /** {@code defaults}: daily and weekly context and calibration, as shipped. */
        @Param({"defaults", "no-seasons", "no-calibration", "neither"})
        public String variant;

        SensorForecaster forecaster;
        ServingModel model;
        SensorState[] states;
        String[] ids;
        long[] steps;
        int next;

        @Setup
        public void setUp() {
            String seasons = variant.equals("defaults") || variant.equals("no-calibration") ? "[P1D, P7D]" : "[]";
            int calibration = variant.equals("defaults") || variant.equals("no-seasons") ? 50 : 0;
            PipelineConfig config = PipelineConfigLoader.parse("features: {seasons: " + seasons + "}\n"
                    + "model: {calibrationWindow: " + calibration + "}");
            forecaster = new SensorForecaster(config, ModelShapes.specOf(config), StepListener.NONE);
            model = TestModels.servingModel(config, 1, 42);
            states = new SensorState[KEYS];
            ids = new String[KEYS];
            steps = new long[KEYS];
            for (int k = 0; k < KEYS; k++) {
                states[k] = forecaster.newState();
                ids[k] = "sensor-" + k;
                for (int s = 0; s < WARM_UP_STEPS; s++) {
                    advance(k);
                }
            }
        }

        Forecast advance(int key) {
            long step = steps[key]++;
            double value = 20 + key + 5 * Math.sin(2 * Math.PI * step / 288.0) + 0.3 * Math.sin(step * 1.7 + key);
            SensorEvent event = new SensorEvent(ids[key], START + step * FIVE_MINUTES, new double[] {value}, null);
            return forecaster.advance(states[key], event, model);
        }
    }

    @Benchmark
    public Forecast advanceOneEvent(Sensors sensors) {
        int key = sensors.next;
        sensors.next = (key + 1) % KEYS;
        return sensors.advance(key);
    }
}
