package io.sensorcast.training;

import io.sensorcast.training.backprop.TbpttTrainer;
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
 * Fits a network on training windows in shuffled mini-batches for a number of epochs, with the truncated BPTT,
 * clipping and optimiser the network is configured with, and reports loss and gradient figures. The fit is
 * DL4J's: computed by the hand-written {@link TbpttTrainer} (the default {@link TrainingEngine#JAVA}) or by
 * {@code MultiLayerNetwork.fit} itself ({@link TrainingEngine#DL4J}, and for any network the hand-written trainer
 * does not support or that has listeners of its own, which need DL4J's iterations to see).
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
    private final TrainingEngine engine;

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
        this(batchSize, epochs, seed, clipThreshold, pacer, TrainingEngine.JAVA);
    }

    /** As above, fitting with {@code engine} where it supports the network. */
    public SequenceFitter(int batchSize, int epochs, long seed, double clipThreshold, TrainingPacer pacer,
                          TrainingEngine engine) {
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
        this.engine = engine;
    }

    /** Whether {@link #fit} would compute {@code net}'s fit by hand rather than through DL4J. */
    public boolean fitsByHand(MultiLayerNetwork net) {
        return engine == TrainingEngine.JAVA && net.getListeners().isEmpty() && TbpttTrainer.unsupported(net).isEmpty();
    }

    /**
     * Fits {@code net} in place on {@code windows} (all of one length; the list is not modified). The
     * network's own listeners stay attached and see every iteration (such a network is fitted by DL4J).
     */
    public FitReport fit(MultiLayerNetwork net, List<TrainingWindows.Window> windows, int horizon) {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no training windows");
        }
        long started = System.nanoTime();
        GradientStatsListener gradients = new GradientStatsListener(clipThreshold);
        List<Double> batchLosses = fitsByHand(net) ? fitByHand(net, windows, horizon, gradients)
                : fitByDl4j(net, windows, horizon, gradients);
        double meanLoss = batchLosses.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        return new FitReport(gradients.iterationCount(), batchLosses.get(0), batchLosses.get(batchLosses.size() - 1),
                meanLoss, gradients.meanPreClipNorm(), gradients.maxPreClipNorm(), gradients.clippedFraction(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Fits one mini-batch and returns its loss. */
    private interface BatchFit {
        double fit(List<TrainingWindows.Window> batch);
    }

    /** Every epoch's shuffled mini-batches through {@code fit}, pausing after each; returns their losses. */
    private List<Double> fitBatches(List<TrainingWindows.Window> windows, BatchFit fit) {
        List<TrainingWindows.Window> order = new ArrayList<>(windows);
        Random random = new Random(seed);
        List<Double> batchLosses = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            Collections.shuffle(order, random);
            // Sizes differ by at most one, so no tiny remainder batch makes a noisy step or loss.
            int batches = batchCount(order.size());
            for (int b = 0; b < batches; b++) {
                long batchStarted = System.nanoTime();
                batchLosses.add(fit.fit(order.subList(b * order.size() / batches, (b + 1) * order.size() / batches)));
                pacer.pauseAfter(System.nanoTime() - batchStarted);
            }
        }
        return batchLosses;
    }

    private int batchCount(int windows) {
        return (windows + batchSize - 1) / batchSize;
    }

    private List<Double> fitByHand(MultiLayerNetwork net, List<TrainingWindows.Window> windows, int horizon,
                                   GradientStatsListener gradients) {
        int batches = batchCount(windows.size());
        int largestBatch = (windows.size() + batches - 1) / batches;
        TbpttTrainer trainer = new TbpttTrainer(net, largestBatch, windows.get(0).steps().size());
        trainer.load();
        try {
            return fitBatches(windows, batch -> {
                TrainingWindows.Arrays a = TrainingWindows.toArrays(batch, horizon);
                return trainer.fitBatch(a.features(), a.labels(), a.windows(), a.length(),
                        norms -> gradients.record(norms.clone()));
            });
        } finally {
            // In place, as DL4J's fit: whatever was computed is in the network.
            trainer.store();
        }
    }

    private List<Double> fitByDl4j(MultiLayerNetwork net, List<TrainingWindows.Window> windows, int horizon,
                                   GradientStatsListener gradients) {
        ScoreListener scores = new ScoreListener();
        Collection<TrainingListener> previous = new ArrayList<>(net.getListeners());
        net.addListeners(gradients, scores);
        try {
            return fitBatches(windows, batch -> {
                scores.startBatch();
                net.fit(TrainingWindows.toDataSet(batch, horizon));
                return scores.batchMean();
            });
        } finally {
            net.setListeners(previous);
        }
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
