package io.sensorcast.training;

import io.sensorcast.ingest.SensorEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Deterministic synthetic step sequences and sensor events for the trainer's tests. */
final class SyntheticSequences {

    static final long FIVE_MINUTES_MS = 300_000L;
    static final int STEPS_PER_DAY = 288;

    private SyntheticSequences() {
    }

    /**
     * A single-channel sequence already in normalised units (mean 0, std 1): a slow sine plus noise, with the
     * value as input channel 0 and {@code inputSize - 1} further random input channels.
     */
    static List<StepRecord> normalisedSequence(int steps, int inputSize, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<StepRecord> out = new ArrayList<>(steps);
        double phase = random.nextDouble() * 2 * Math.PI;
        for (int t = 0; t < steps; t++) {
            double v = Math.sin(phase + 2 * Math.PI * t / 50.0) + 0.2 * random.nextGaussian();
            float[] input = new float[inputSize];
            input[0] = (float) v;
            for (int d = 1; d < inputSize; d++) {
                input[d] = (float) random.nextGaussian();
            }
            out.add(new StepRecord(t * FIVE_MINUTES_MS, input, new double[]{v}, new double[]{0}, new double[]{1}));
        }
        return out;
    }

    /**
     * Events of {@code sensors} sensors at a 5-minute cadence: a daily cycle whose phase, level and amplitude
     * differ per sensor, plus Gaussian noise of {@code noiseShare} of the amplitude.
     */
    static List<SensorEvent> seasonalEvents(int sensors, int steps, double noiseShare, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = 1_767_571_200_000L; // 2026-01-05T00:00:00Z, a Monday
        double[] phase = new double[sensors];
        double[] level = new double[sensors];
        double[] amplitude = new double[sensors];
        for (int s = 0; s < sensors; s++) {
            phase[s] = 2 * Math.PI * s / sensors;
            level[s] = 10 + 40 * s;
            amplitude[s] = 2 + 3 * s;
        }
        List<SensorEvent> events = new ArrayList<>(sensors * steps);
        for (int t = 0; t < steps; t++) {
            for (int s = 0; s < sensors; s++) {
                double v = level[s] + amplitude[s] * (Math.sin(phase[s] + 2 * Math.PI * t / STEPS_PER_DAY)
                        + noiseShare * random.nextGaussian());
                events.add(new SensorEvent("sensor-" + s, start + t * FIVE_MINUTES_MS, new double[]{v}, new byte[0]));
            }
        }
        return events;
    }
}
