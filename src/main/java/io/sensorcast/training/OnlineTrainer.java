package io.sensorcast.training;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.TrainingSettings;
import io.sensorcast.model.ModelMetadata;
import io.sensorcast.model.ModelRecord;
import io.sensorcast.model.ModelRecordCodec;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.WeightSnapshots;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Fits the shared weights on recent data and proposes the result: one training round takes the sampled
 * sequences, holds out each sensor's newest window, fine-tunes the trainer's own network (starting from
 * the serving weights) with truncated BPTT and per-layer gradient clipping, and lets the
 * {@link ValidationGate} decide. Owns its DL4J networks; never called from a stream thread.
 */
public final class OnlineTrainer {

    private static final Logger LOG = LoggerFactory.getLogger(OnlineTrainer.class);

    /** What a round did. */
    public enum Outcome { ACCEPTED, REJECTED, SKIPPED }

    /**
     * One training round's result and figures. Build it with {@link #skipped}, {@link #rejected} or
     * {@link #accepted}: each fills exactly the components its outcome has.
     *
     * @param candidateVersion the version the candidate would have or has (0 when skipped)
     * @param fit              the fit's figures (null when skipped)
     * @param scores           the gate's held-out scores (null when skipped)
     * @param record           the candidate to publish (only when accepted, else null)
     */
    public record Round(Outcome outcome, String reason, long servingVersion, long candidateVersion, int trainWindows,
                        int heldOutWindows, SequenceFitter.FitReport fit, ValidationGate.Scores scores, ModelRecord record) {

        /** Nothing to train on yet: no fit, no scores, no candidate. */
        public static Round skipped(String reason, long servingVersion) {
            return new Round(Outcome.SKIPPED, reason, servingVersion, 0, 0, 0, null, null, null);
        }

        /** The gate refused the candidate: its figures, nothing to publish. */
        public static Round rejected(String reason, long servingVersion, long candidateVersion, int trainWindows,
                                     int heldOutWindows, SequenceFitter.FitReport fit, ValidationGate.Scores scores) {
            return new Round(Outcome.REJECTED, reason, servingVersion, candidateVersion, trainWindows, heldOutWindows,
                    fit, scores, null);
        }

        /** The gate accepted the candidate: its figures and the record to publish. */
        public static Round accepted(String reason, long servingVersion, long candidateVersion, int trainWindows,
                                     int heldOutWindows, SequenceFitter.FitReport fit, ValidationGate.Scores scores,
                                     ModelRecord record) {
            return new Round(Outcome.ACCEPTED, reason, servingVersion, candidateVersion, trainWindows, heldOutWindows,
                    fit, scores, record);
        }

        /** The candidate to publish, present only when accepted. */
        public Optional<ModelRecord> published() {
            return Optional.ofNullable(record);
        }
    }

    private final PipelineConfig config;
    private final TrainingSettings settings;
    private final NetworkSpec spec;
    private final SampleBuffer buffer;
    private final Supplier<ServingModel> serving;
    private final Clock clock;
    private final MultiLayerNetwork candidate;
    private final MultiLayerNetwork servingNet;
    private final ValidationGate gate;
    private long lastPublishedVersion;
    private long samplesAtLastRound;
    private long lastRoundMillis;
    private int rounds;
    private final TrainingPacer pacer;

    /** A trainer that runs unpaced (replay and tests: nothing serves beside it). */
    public OnlineTrainer(PipelineConfig config, SampleBuffer buffer, Supplier<ServingModel> serving, Clock clock) {
        this(config, buffer, serving, clock, TrainingPacer.UNPACED);
    }

    /** A trainer that keeps within {@code pacer}'s share of wall time (beside a serving stream). */
    public OnlineTrainer(PipelineConfig config, SampleBuffer buffer, Supplier<ServingModel> serving, Clock clock,
                         TrainingPacer pacer) {
        this.config = config;
        this.settings = config.training();
        this.spec = ModelShapes.specOf(config);
        this.buffer = buffer;
        this.serving = serving;
        this.clock = clock;
        this.candidate = Dl4jNetworks.create(spec, TrainingOptionsFactory.of(settings), settings.seed());
        this.servingNet = Dl4jNetworks.create(spec, TrainingOptionsFactory.of(settings), settings.seed());
        this.pacer = pacer.duringPause(buffer::drain);
        this.gate = new ValidationGate(settings.tolerance(), Math.min(settings.windowLength() / 4, 16),
                settings.absoluteLoss(), settings.distributionHead() ? config.forecast().levels() : new double[0]);
        this.lastRoundMillis = clock.millis();
    }

    /** Drains the buffer and trains if enough new samples arrived, or enough time passed; else null. */
    public Round trainIfDue() {
        buffer.drain();
        long fresh = buffer.drainedCount() - samplesAtLastRound;
        // Retrain when a share of what the buffer holds is new: early and often while a history is short.
        boolean byCount = fresh >= Math.max(settings.everySamples(), settings.retrainShare() * buffer.heldSteps());
        boolean byTime = settings.everySeconds() > 0 && fresh > 0
                && clock.millis() - lastRoundMillis >= settings.everySeconds() * 1000;
        return byCount || byTime ? train() : null;
    }

    /** Runs one round now. */
    public Round train() {
        buffer.drain();
        samplesAtLastRound = buffer.drainedCount();
        lastRoundMillis = clock.millis();
        rounds++;
        ServingModel current = serving.get();
        syncWith(current);

        List<TrainingWindows.Window> train = new ArrayList<>();
        List<TrainingWindows.Window> heldOut = new ArrayList<>();
        for (List<StepRecord> sequence : buffer.sequences()) {
            TrainingWindows.Split split = TrainingWindows.split(sequence, settings.windowLength(), config.horizon(),
                    Math.min(settings.windowStride(), settings.windowLength()), settings.heldOutEvery());
            train.addAll(split.train());
            heldOut.addAll(split.heldOut());
        }
        if (train.isEmpty()) {
            return Round.skipped("no sensor has two windows of " + settings.windowLength() + " steps and a horizon of "
                    + config.horizon() + " yet", current.version());
        }

        DataSet heldOutData = TrainingWindows.toDataSet(heldOut, config.horizon());
        EarlyStopping stopping = fitWithEarlyStopping(train, heldOutData);
        SequenceFitter.FitReport fit = stopping.lastEpoch();
        // A round that left the weights as they were has nothing to offer; anything else is the gate's to judge
        // (with a tolerance it may accept a candidate no epoch made better, as it always could).
        ValidationGate.Verdict verdict = stopping.unchanged()
                ? new ValidationGate.Verdict(false, "no epoch improved or changed the weights the round started from",
                        new ValidationGate.Scores(stopping.startScore(), stopping.startScore(), Double.NaN))
                : pacer.paced(() -> gate.judge(candidate, servingNet, heldOutData));
        long version = Math.max(lastPublishedVersion, current.version()) + 1;
        if (!verdict.accepted()) {
            LOG.warn("Training round {} rejected its candidate: {}", rounds, verdict.reason());
            return Round.rejected(verdict.reason(), current.version(), version, train.size(), heldOut.size(), fit,
                    verdict.scores());
        }
        // A candidate must descend from, and have been judged against, what serves when it is published. A model
        // that arrived during the round (e.g. a previous trainer's, read from the topic after a restart) voids
        // both: the candidate is dropped and the next round starts from the newer model.
        ServingModel now = serving.get();
        if (now.version() != current.version()) {
            String reason = "the serving model changed from v" + current.version() + " to v" + now.version()
                    + " during the round; the candidate, trained from and judged against v" + current.version()
                    + ", is dropped";
            LOG.warn("Training round {}: {}", rounds, reason);
            return Round.rejected(reason, current.version(), version, train.size(), heldOut.size(), fit,
                    verdict.scores());
        }
        ModelMetadata metadata = ModelMetadata.forPipeline(config, version, current.version(), clock.instant(),
                provenance(fit, stopping.epochsRun(), verdict, train.size(), heldOut.size()));
        ModelRecord record = ModelRecordCodec.of(metadata, candidate.params().toFloatVector());
        lastPublishedVersion = version;
        LOG.info("Training round {} accepted v{} (parent v{}): {}", rounds, version, current.version(), verdict.reason());
        return Round.accepted(verdict.reason(), current.version(), version, train.size(), heldOut.size(), fit,
                verdict.scores(), record);
    }

    /**
     * What early stopping did: the last epoch's fit figures, how many epochs ran, and whether the weights are
     * still exactly those the round started from (nothing to offer the gate).
     */
    private record EarlyStopping(SequenceFitter.FitReport lastEpoch, int epochsRun, boolean unchanged, double startScore) {
    }

    /**
     * Fits epoch by epoch up to {@code training.epochs}, scoring the held-out windows after each, and keeps
     * the best epoch's weights; stops after {@code patience} epochs without improvement. When no epoch
     * improved, the last epoch's weights stay for the gate to judge.
     */
    private EarlyStopping fitWithEarlyStopping(List<TrainingWindows.Window> train, DataSet heldOut) {
        // Scoring runs DL4J over every held-out window; with the hand-written fit it is a large part of a round,
        // so it is paced like the mini-batches.
        double startScore = pacer.paced(() -> gate.score(candidate, heldOut));
        INDArray startParams = candidate.params().dup();
        double best = startScore;
        INDArray bestParams = null;
        int sinceBest = 0;
        int epochsRun = 0;
        SequenceFitter.FitReport last = null;
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            SequenceFitter epochFitter = new SequenceFitter(settings.batchSize(), 1, settings.seed() + rounds * 1000L + epoch,
                    settings.clipThreshold(), pacer, TrainingEngine.of(settings.engine()));
            last = epochFitter.fit(candidate, train, config.horizon());
            epochsRun++;
            double score = pacer.paced(() -> gate.score(candidate, heldOut));
            if (score < best) {
                best = score;
                bestParams = candidate.params().dup();
                sinceBest = 0;
            } else if (++sinceBest >= settings.patience()) {
                break;
            }
        }
        if (bestParams != null) {
            candidate.setParams(bestParams);
        }
        return new EarlyStopping(last, epochsRun, bestParams == null && candidate.params().equals(startParams), startScore);
    }

    /**
     * Every round fine-tunes from what serves now, never from the trainer's own last candidate: that one may be
     * published but not yet serving, and a candidate built on it would claim the serving model as its parent.
     */
    private void syncWith(ServingModel current) {
        float[] params = WeightSnapshots.toFlatParams(current.weights());
        servingNet.setParams(Nd4j.create(params));
        candidate.setParams(Nd4j.create(params));
    }

    private Map<String, Object> provenance(SequenceFitter.FitReport fit, int epochsRun, ValidationGate.Verdict verdict,
                                           int trainWindows,
                                           int heldOutWindows) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("data", "online: " + buffer.sampledKeys() + " sampled sensors, last " + settings.stepsPerKey() + " steps each");
        p.put("trainWindows", trainWindows);
        p.put("heldOutWindows", heldOutWindows);
        p.put("windowLength", settings.windowLength());
        p.put("tbpttLength", settings.tbpttLength());
        p.put("batchSize", settings.batchSize());
        p.put("epochs", settings.epochs());
        p.put("epochsRun", epochsRun);
        p.put("optimizer", settings.optimizer());
        p.put("learningRate", settings.learningRate());
        p.put("gradientNormalization", "ClipL2PerLayer");
        p.put("clipThreshold", settings.clipThreshold());
        p.put("engine", settings.engine());
        p.put("seed", settings.seed());
        p.put("trainLossFirst", fit.firstLoss());
        p.put("trainLossLast", fit.lastLoss());
        p.put("meanPreClipGradientNorm", fit.meanPreClipNorm());
        p.put("maxPreClipGradientNorm", fit.maxPreClipNorm());
        p.put("clippedFraction", fit.clippedFraction());
        p.put("heldOutMse", verdict.scores().candidate());
        p.put("servingHeldOutMse", verdict.scores().serving());
        p.put("persistenceHeldOutMse", verdict.scores().persistence());
        return p;
    }

    /** Rounds run so far. */
    public int rounds() {
        return rounds;
    }
}
