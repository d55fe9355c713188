package io.sensorcast.training;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Fits a network on training windows in shuffled mini-batches for a number of epochs, letting DL4J apply
 * the truncated BPTT and clipping the network is configured with, and reports loss and gradient figures.
 */
public final class SequenceFitter {

    /**
     * What one {@link #fit} did. Losses are per mini-batch: the mean of DL4J's score over the batch's TBPTT
     * segments (each the MSE summed over the segment's steps, averaged over sequences). Gradient norms are
     * the largest per-layer pre-clip norms, in the units of the clip threshold.
     *
     * @param iterations      parameter updates made (one per TBPTT segment per mini-batch)
     * @param firstLoss       loss of the first mini-batch
     * @param lastLoss        loss of the last mini-batch
     * @param meanLoss        mean loss over all mini-batches
     * @param meanPreClipNorm mean over iterations of the largest layer gradient norm
     * @param maxPreClipNorm  largest layer gradient norm of any iteration
     * @param clippedFraction share of iterations in which at least one layer was clipped
     * @param millis          wall-clock duration of the fit
     */
    public record FitReport(int iterations, double firstLoss, double lastLoss, double meanLoss,
                            double meanPreClipNorm, double maxPreClipNorm, double clippedFraction, long millis) {
    }

    private final int batchSize;
    private final int epochs;
    private final long seed;
    private final double clipThreshold;
    private final TrainingPacer pacer;

    /**
     * @param batchSize     most windows per mini-batch; an epoch's windows are spread evenly over the fewest
     *                      mini-batches of at most this size
     * @param epochs        passes over the windows
     * @param seed          seed of the shuffle: equal seeds and inputs give equal fits
     * @param clipThreshold the threshold an iteration counts as clipped against, normally the network's own
     */
    public SequenceFitter(int batchSize, int epochs, long seed, double clipThreshold) {
        this(batchSize, epochs, seed, clipThreshold, TrainingPacer.UNPACED);
    }

    /** As above, pausing after each mini-batch as {@code pacer} says. */
    public SequenceFitter(int batchSize, int epochs, long seed, double clipThreshold, TrainingPacer pacer) {
        if (batchSize < 1 || epochs < 1) {
            throw new IllegalArgumentException("batchSize and epochs must be at least 1: " + batchSize + ", " + epochs);
        }
        if (!(clipThreshold > 0) || Double.isInfinite(clipThreshold)) {
            throw new IllegalArgumentException("clipThreshold must be positive and finite: " + clipThreshold);
        }
        this.batchSize = batchSize;
        this.epochs = epochs;
        this.seed = seed;
        this.clipThreshold = clipThreshold;
        this.pacer = pacer;
    }

    /**
     * Fits {@code net} in place on {@code windows} (all of one length; the list is not modified). The
     * network's own listeners stay attached and see every iteration.
     */
    public FitReport fit(MultiLayerNetwork net, List<TrainingWindows.Window> windows, int horizon) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no training windows");
        }
        long started = System.nanoTime();
        List<TrainingWindows.Window> order = new ArrayList<>(windows);
        Random random = new Random(seed);
        GradientStatsListener gradients = new GradientStatsListener(clipThreshold);
        ScoreListener scores = new ScoreListener();
        Collection<TrainingListener> previous = new ArrayList<>(net.getListeners());
        List<Double> batchLosses = new ArrayList<>();
        net.addListeners(gradients, scores);
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                Collections.shuffle(order, random);
                // Sizes differ by at most one, so no tiny remainder batch makes a noisy step or loss.
                int batches = (order.size() + batchSize - 1) / batchSize;
                for (int b = 0; b < batches; b++) {
                    DataSet batch = TrainingWindows.toDataSet(order.subList(b * order.size() / batches,
                            (b + 1) * order.size() / batches), horizon);
                    scores.startBatch();
                    long batchStarted = System.nanoTime();
                    net.fit(batch);
                    batchLosses.add(scores.batchMean());
                    pacer.pauseAfter(System.nanoTime() - batchStarted);
                }
            }
        } finally {
            net.setListeners(previous);
        }
        double meanLoss = batchLosses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new FitReport(gradients.iterationCount(), batchLosses.get(0), batchLosses.get(batchLosses.size() - 1),
                meanLoss, gradients.meanPreClipNorm(), gradients.maxPreClipNorm(), gradients.clippedFraction(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Collects DL4J's score after each iteration, since with TBPTT {@code net.score()} only keeps the last segment's. */
    private static final class ScoreListener extends BaseTrainingListener {
        private double sum;
        private int count;

        void startBatch() {
            sum = 0;
            count = 0;
        }

        double batchMean() {
            return count == 0 ? Double.NaN : sum / count;
        }

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }
    }
}
