package io.sensorcast.bench.training;

import io.sensorcast.bench.service.Args;
import io.sensorcast.bench.service.Medians;
import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.training.SequenceFitter;
import io.sensorcast.training.StepRecord;
import io.sensorcast.training.TrainingEngine;
import io.sensorcast.training.TrainingPacer;
import io.sensorcast.training.TrainingWindows;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Times the trainer's own fit, {@link SequenceFitter} with each {@link TrainingEngine}, on fixed workloads: one
 * epoch over {@code windows} random windows in shuffled mini-batches, a one-layer network of D inputs under a head of
 * {@code outputs}, Adam at 1e-3, ClipL2PerLayer at 20, the loss of the default pipeline (MAE), TBPTT = window length
 * (the default pipeline's choice) unless {@code tbptt} is given. Each shape is {@code HxBATCHxWINDOW}; the default pipeline's is 32x32x64 with D=18
 * and 5 outputs. Prints the median and best of {@code reps} fits after {@code warmup} and the load average before
 * and after. {@code src/bench/python/trainer_fit.py} does the same job in PyTorch.
 *
 * <p>{@code OMP_NUM_THREADS=1 src/bench/run io.sensorcast.bench.training.TrainerFitHarness [--shapes 32x32x64,...]
 * [--engines java,dl4j] [--input 18] [--outputs 5] [--windows 256] [--reps 9] [--warmup 3] [--cell lstm]
 * [--loss mae] [--tbptt 0]}
 */
public final class TrainerFitHarness {

    private TrainerFitHarness() {
    }

    public static void main(String[] args) throws IOException {
        Args opts = new Args(args, Set.of("shapes", "engines", "input", "outputs", "windows", "reps", "warmup", "cell",
                "loss", "tbptt"));
        List<String> shapes = opts.list("shapes", "32x32x64,64x32x64,128x32x64,64x128x64,64x32x128");
        List<TrainingEngine> engines = opts.list("engines", "java,dl4j").stream().map(TrainingEngine::of).toList();
        int input = opts.integer("input", 18);
        int outputs = opts.integer("outputs", 5);
        int windowCount = opts.integer("windows", 256);
        int reps = opts.integer("reps", 9);
        int warmup = opts.integer("warmup", 3);
        CellType cell = CellType.valueOf(opts.string("cell", "lstm").toUpperCase(Locale.ROOT));
        String loss = opts.string("loss", "mae");
        int tbpttOption = opts.integer("tbptt", 0);
        System.out.println("load before: " + loadAverage());
        System.out.printf("cell %s, D=%d, outputs %d, windows %d, loss %s, Adam 1e-3, clip 20, OMP_NUM_THREADS=%s%n",
                cell, input, outputs, windowCount, loss, System.getenv("OMP_NUM_THREADS"));
        for (String shape : shapes) {
            String[] parts = shape.split("x");
            int hidden = Integer.parseInt(parts[0]);
            int batch = Integer.parseInt(parts[1]);
            int window = Integer.parseInt(parts[2]);
            int tbptt = tbpttOption > 0 ? tbpttOption : window;
            List<TrainingWindows.Window> windows = windows(windowCount, window, input, outputs, 17);
            for (TrainingEngine engine : engines) {
                NetworkSpec spec = new NetworkSpec(cell, input, new int[]{hidden}, outputs);
                MultiLayerNetwork net = Dl4jNetworks.create(spec, new TrainingOptions(Optimizer.ADAM, 1e-3, tbptt, 20,
                        !loss.equals("mse")), 42);
                List<Double> millis = new ArrayList<>();
                for (int rep = 0; rep < warmup + reps; rep++) {
                    SequenceFitter fitter = new SequenceFitter(batch, 1, rep, 20, TrainingPacer.UNPACED, engine);
                    long started = System.nanoTime();
                    fitter.fit(net, windows, outputs);
                    double ms = (System.nanoTime() - started) / 1e6;
                    if (rep >= warmup) {
                        millis.add(ms);
                    }
                }
                System.out.printf(Locale.ROOT, "%s H=%d batch=%d window=%d tbptt=%d: median %.1f ms, best %.1f ms over %d fits%n",
                        engine.name().toLowerCase(Locale.ROOT), hidden, batch, window, tbptt, Medians.median(millis),
                        millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), reps);
            }
        }
        System.out.println("load after: " + loadAverage());
    }

    /**
     * {@code count} windows of random inputs over one channel; the head forecasts {@code outputs} steps of it, so the
     * labels are the next values' changes (as TrainingWindows makes them).
     */
    private static List<TrainingWindows.Window> windows(int count, int length, int input, int outputs, long seed) {
        Random random = new Random(seed);
        List<TrainingWindows.Window> out = new ArrayList<>();
        for (int w = 0; w < count; w++) {
            List<StepRecord> steps = new ArrayList<>();
            for (int t = 0; t < length + outputs; t++) {
                float[] x = new float[input];
                for (int d = 0; d < input; d++) {
                    x[d] = (float) random.nextGaussian();
                }
                steps.add(new StepRecord(t, x, new double[]{random.nextGaussian()}, new double[]{0}, new double[]{1}));
            }
            out.add(new TrainingWindows.Window(steps.subList(0, length), steps.subList(length, length + outputs)));
        }
        return out;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }
}
