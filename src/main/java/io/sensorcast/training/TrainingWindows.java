package io.sensorcast.training;

import io.sensorcast.forecast.Normalisation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts per-key step sequences into fixed-length training windows for DL4J: features {@code [n, D, T]}
 * and labels {@code [n, K*C, T]}. The label at step t is the change from step t's raw value to each of the
 * next K raw values, in step t's standard deviations (clipped like inputs): what the forecast made at step t
 * should have added to persistence (teacher forcing: inputs are always observed values).
 */
public final class TrainingWindows {

    private TrainingWindows() {
    }

    /** A window: {@code length} consecutive steps of one key, all with known targets. */
    public record Window(List<StepRecord> steps, List<StepRecord> future) {
    }

    /**
     * Every non-overlapping window of {@code length} steps in {@code sequence} whose K future values are
     * known, newest last.
     */
    public static List<Window> windows(List<StepRecord> sequence, int length, int horizon) {
        return windows(sequence, length, horizon, length);
    }

    /** Windows of {@code length} steps every {@code stride} steps, aligned on the newest, newest last. */
    public static List<Window> windows(List<StepRecord> sequence, int length, int horizon, int stride) {
        List<Window> out = new ArrayList<>();
        int usable = sequence.size() - horizon;
        for (int start = usable - length; start >= 0; start -= stride) {
            out.add(0, new Window(sequence.subList(start, start + length),
                    sequence.subList(start + length, start + length + horizon)));
        }
        return out;
    }

    /** Training windows and the held-out windows that judge them; no training window overlaps a held-out one. */
    public record Split(List<Window> train, List<Window> heldOut) {
    }

    /**
     * Cuts one sensor's sequence for a round: held-out windows are every {@code heldOutEvery}-th
     * non-overlapping window counted from the newest (so the newest is always held out and the others are
     * spread over the sensor's history), training windows start every {@code stride} steps and never share a
     * step, input or target, with a held-out window. Empty when the sequence is shorter than two windows and a
     * horizon (the least that leaves one training window beside the newest held-out one).
     */
    public static Split split(List<StepRecord> sequence, int length, int horizon, int stride, int heldOutEvery) {
        List<Window> heldOut = new ArrayList<>();
        List<int[]> heldSpans = new ArrayList<>();
        int usable = sequence.size() - horizon;
        if (usable < 2 * length + horizon) {
            return new Split(List.of(), List.of());
        }
        int block = 0;
        for (int start = usable - length; start >= 0; start -= length, block++) {
            if (block % heldOutEvery == 0) {
                heldOut.add(0, new Window(sequence.subList(start, start + length),
                        sequence.subList(start + length, start + length + horizon)));
                heldSpans.add(new int[]{start, start + length + horizon});
            }
        }
        List<Window> train = new ArrayList<>();
        for (int start = usable - length; start >= 0; start -= stride) {
            int end = start + length + horizon;
            boolean overlaps = false;
            for (int[] span : heldSpans) {
                if (start < span[1] && span[0] < end) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                train.add(0, new Window(sequence.subList(start, start + length),
                        sequence.subList(start + length, end)));
            }
        }
        return new Split(train, heldOut);
    }

    /**
     * Some windows (all the same length) as row-major arrays: features {@code [n, D, T]}, labels {@code [n, K*C, T]}.
     *
     * @param windows     how many windows the arrays hold
     * @param inputSize   D
     * @param outputSize  K*C
     * @param length      T
     */
    public record Arrays(float[] features, float[] labels, int windows, int inputSize, int outputSize, int length) {
    }

    /** The arrays of some windows (all the same length). */
    public static Arrays toArrays(List<Window> windows, int horizon) {
        int n = windows.size();
        int length = windows.get(0).steps().size();
        int inputSize = windows.get(0).steps().get(0).input().length;
        int channels = windows.get(0).steps().get(0).values().length;
        float[] features = new float[n * inputSize * length];
        float[] labels = new float[n * horizon * channels * length];
        int outSize = horizon * channels;
        for (int w = 0; w < n; w++) {
            Window window = windows.get(w);
            for (int t = 0; t < length; t++) {
                StepRecord step = window.steps().get(t);
                for (int d = 0; d < inputSize; d++) {
                    features[(w * inputSize + d) * length + t] = step.input()[d];
                }
                for (int k = 1; k <= horizon; k++) {
                    StepRecord target = t + k < length ? window.steps().get(t + k) : window.future().get(t + k - length);
                    for (int ch = 0; ch < channels; ch++) {
                        // Residual to persistence in standard deviations, as the serving path reads the output
                        // (SensorForecaster).
                        double change = (target.values()[ch] - step.values()[ch]) / step.std()[ch];
                        labels[(w * outSize + (k - 1) * channels + ch) * length + t] = (float) Normalisation.clip(change);
                    }
                }
            }
        }
        return new Arrays(features, labels, n, inputSize, outSize, length);
    }

    /** The DL4J data set of some windows (all the same length). */
    public static DataSet toDataSet(List<Window> windows, int horizon) {
        Arrays a = toArrays(windows, horizon);
        INDArray f = Nd4j.create(a.features(), new long[]{a.windows(), a.inputSize(), a.length()}, 'c');
        INDArray l = Nd4j.create(a.labels(), new long[]{a.windows(), a.outputSize(), a.length()}, 'c');
        return new DataSet(f, l);
    }
}
