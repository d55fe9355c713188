package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.forecast.Forecast;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.forecast.StepListener;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.recurrent.LayerWeights;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.state.SensorState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Many threads step while another swaps models: every forecast comes from exactly one weight set. */
class ModelSwapAtomicityTest {

    // No recurrent input at all (W = RW = 0) makes each weight set's output a constant we can tell apart:
    // h from the biases alone (LSTM: o * tanh(c); GRU: z * tanh(b_c) from a zero state), then the head maps it.
    // Mixing any array of A with any of B gives a value that is neither A's nor B's.
    private static NetworkWeights constantWeights(NetworkSpec spec, float bias, float head) {
        int h = spec.hiddenSize(0);
        int g = spec.cell().gateBlocks();
        float[] b = new float[g * h];
        Arrays.fill(b, bias);
        LayerWeights layer = new LayerWeights(spec.inputSize(), h, new float[spec.inputSize() * g * h],
                new float[h * g * h], b);
        float[] headW = new float[h * spec.outputSize()];
        Arrays.fill(headW, head);
        return new NetworkWeights(spec, new LayerWeights[]{layer}, headW, new float[spec.outputSize()]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"lstm", "gru"})
    void concurrentSteppingDuringSwapsNeverSeesAMixOfTwoWeightSets(String cell) throws Exception {
        PipelineConfig config = PipelineConfigLoader.parse("horizon: 2\nmodel: {layers: [4], replayWindow: 0, cell: "
                + cell + "}");
        NetworkSpec spec = ModelShapes.specOf(config);
        NetworkWeights a = constantWeights(spec, 0.5f, 0.25f);
        NetworkWeights b = constantWeights(spec, -0.7f, -0.6f);
        ModelRegistry registry = new ModelRegistry(spec, new ServingModel(1, a, null));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong version = new AtomicLong(1);
        Thread swapper = new Thread(() -> {
            while (running.get()) {
                long v = version.incrementAndGet();
                registry.offer(new ServingModel(v, v % 2 == 1 ? a : b, null));
            }
        });

        int threads = 6;
        int eventsPerThread = 20_000;
        ConcurrentLinkedQueue<String> mixed = new ConcurrentLinkedQueue<>();
        AtomicLong seenA = new AtomicLong();
        AtomicLong seenB = new AtomicLong();
        CountDownLatch done = new CountDownLatch(threads);
        List<Thread> steppers = new ArrayList<>();
        // The first forecast of a fresh key: value = mean + std * y with std floored tiny and mean = the value,
        // so the raw network output shows through unscaled when the value is 0.
        double expectA = expectedOutput(config, spec, a);
        double expectB = expectedOutput(config, spec, b);
        assertThat(expectA).isNotEqualTo(expectB);
        for (int t = 0; t < threads; t++) {
            Thread stepper = new Thread(() -> {
                SensorForecaster forecaster = new SensorForecaster(config, spec, StepListener.NONE);
                for (int i = 0; i < eventsPerThread; i++) {
                    SensorState fresh = forecaster.newState();
                    ServingModel model = registry.current();
                    Forecast f = forecaster.advance(fresh, new SensorEvent("k", i, new double[]{0}, new byte[0]), model);
                    double expected = f.modelVersion() % 2 == 1 ? expectA : expectB;
                    if (f.values()[0] != expected) {
                        mixed.add("v" + f.modelVersion() + " gave " + f.values()[0]);
                    }
                    (f.modelVersion() % 2 == 1 ? seenA : seenB).incrementAndGet();
                }
                done.countDown();
            });
            steppers.add(stepper);
        }
        swapper.start();
        steppers.forEach(Thread::start);
        done.await();
        running.set(false);
        swapper.join();

        assertThat(mixed).isEmpty();
        assertThat(version.get()).as("swaps happened during stepping").isGreaterThan(100);
        assertThat(seenA.get()).isPositive();
        assertThat(seenB.get()).isPositive();
    }

    private static double expectedOutput(PipelineConfig config, NetworkSpec spec, NetworkWeights w) {
        SensorForecaster forecaster = new SensorForecaster(config, spec, StepListener.NONE);
        return forecaster.advance(forecaster.newState(), new SensorEvent("k", 0, new double[]{0}, new byte[0]),
                new ServingModel(1, w, null)).values()[0];
    }
}
