package io.sensorcast.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.config.PipelineConfigLoader;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.Optimizer;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.testing.LongRunning;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.Map;

@LongRunning
class SequenceFitterTest {

    private static final int HORIZON = 2;
    private static final NetworkSpec SPEC = new NetworkSpec(CellType.LSTM, 3, new int[]{8}, HORIZON);

    @Test
    void truncatedBpttDoesOneUpdatePerSegmentOfTheConfiguredLength() {
        MultiLayerNetwork net = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.ADAM, 1e-3, 40, 5), 1);
        List<TrainingWindows.Window> windows = windows(20, 120, 1); // mini-batches of 6, 7 and 7

        SequenceFitter.FitReport report = new SequenceFitter(8, 2, 1, 5).fit(net, windows, HORIZON);

        // 120 steps in segments of 40: 3 updates per mini-batch, 3 mini-batches, 2 epochs.
        assertThat(report.iterations()).isEqualTo(3 * 3 * 2);
        assertThat(net.getIterationCount()).isEqualTo(18);
        MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
        assertThat(conf.getBackpropType()).isEqualTo(BackpropType.TruncatedBPTT);
        assertThat(conf.getTbpttFwdLength()).isEqualTo(40);
        assertThat(conf.getTbpttBackLength()).isEqualTo(40);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void theFirstTruncatedUpdateSeesOnlyTheFirstSegment(CellType cell) {
        NetworkSpec spec = new NetworkSpec(cell, SPEC.inputSize(), SPEC.hiddenSizes(), HORIZON);
        DataSet full = TrainingWindows.toDataSet(windows(4, 120, 2), HORIZON);
        INDArray firstSegment = full.getFeatures().get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 40)).dup();
        INDArray firstLabels = full.getLabels().get(NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.interval(0, 40)).dup();
        INDArray laterChanged = full.getFeatures().dup();
        laterChanged.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(40, 120)).muli(-3);

        INDArray whole = firstGradient(spec, new DataSet(full.getFeatures(), full.getLabels()));
        INDArray segment = firstGradient(spec, new DataSet(firstSegment, firstLabels));
        INDArray perturbedLater = firstGradient(spec, new DataSet(laterChanged, full.getLabels()));
        INDArray untruncated = firstGradientWithoutTruncation(spec, new DataSet(full.getFeatures(), full.getLabels()));

        assertThat(whole.toFloatVector()).containsExactly(segment.toFloatVector());
        assertThat(perturbedLater.toFloatVector()).containsExactly(whole.toFloatVector());
        assertThat(untruncated.toFloatVector()).isNotEqualTo(whole.toFloatVector());
    }

    @Test
    void windowsAreSpreadEvenlyOverTheFewestMiniBatchesOfAtMostTheBatchSize() {
        MultiLayerNetwork net = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.ADAM, 1e-3, 50, 5), 1);
        IterationCounter counter = new IterationCounter();
        net.setListeners(counter);

        new SequenceFitter(8, 1, 1, 5).fit(net, windows(17, 30, 5), HORIZON);

        // 17 windows need 3 mini-batches of at most 8: 5, 6 and 6 rather than 8, 8 and 1.
        assertThat(counter.batchSizes).containsExactly(5, 6, 6);
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void sameSeedAndWindowsGiveIdenticalParametersAndAnotherSeedDoesNot(CellType cell) {
        NetworkSpec spec = new NetworkSpec(cell, SPEC.inputSize(), SPEC.hiddenSizes(), HORIZON);
        List<TrainingWindows.Window> windows = windows(24, 60, 3);
        INDArray a = fitted(spec, windows, 42);
        INDArray b = fitted(spec, windows, 42);
        INDArray c = fitted(spec, windows, 43);

        assertThat(b.toFloatVector()).containsExactly(a.toFloatVector());
        assertThat(c.toFloatVector()).isNotEqualTo(a.toFloatVector());
    }

    @Test
    void fitLeavesTheWindowListAndTheNetworksOwnListenersAsTheyWere() {
        MultiLayerNetwork net = Dl4jNetworks.create(SPEC, TrainingOptions.defaults(), 1);
        IterationCounter own = new IterationCounter();
        net.setListeners(own);
        List<TrainingWindows.Window> windows = windows(10, 30, 4);
        List<TrainingWindows.Window> copy = new ArrayList<>(windows);

        SequenceFitter.FitReport report = new SequenceFitter(4, 1, 9, 5).fit(net, windows, HORIZON);

        assertThat(windows).isEqualTo(copy);
        assertThat(net.getListeners()).containsExactly(own);
        assertThat(own.iterations).isEqualTo(report.iterations());
    }

    @ParameterizedTest
    @EnumSource(value = CellType.class, names = {"LSTM", "GRU"})
    void lossFallsAndTheFittedModelBeatsPersistenceOnASeasonalSeries(CellType cell) {
        PipelineConfig config = PipelineConfigLoader.parse("model:\n  layers: [16]\n  cell: " + cell.name().toLowerCase(Locale.ROOT) + "\n");
        NetworkSpec spec = ModelShapes.specOf(config);
        // 4 sensors, 12 days at a 5-minute cadence, daily cycles of different phase, level and amplitude.
        Map<String, List<StepRecord>> sequences = BootstrapTrainer.record(config, spec,
                SyntheticSequences.seasonalEvents(4, 12 * SyntheticSequences.STEPS_PER_DAY, 0.3, 17));
        List<TrainingWindows.Window> train = new ArrayList<>();
        List<TrainingWindows.Window> heldOut = new ArrayList<>();
        for (List<StepRecord> sequence : sequences.values()) {
            List<TrainingWindows.Window> windows = TrainingWindows.windows(sequence, 96, config.horizon());
            train.addAll(windows.subList(0, windows.size() - 6));
            heldOut.addAll(windows.subList(windows.size() - 6, windows.size()));
        }
        MultiLayerNetwork net = Dl4jNetworks.create(spec, new TrainingOptions(Optimizer.ADAM, 1e-2, 48, 5), 5);

        SequenceFitter.FitReport report = new SequenceFitter(16, 4, 5, 5).fit(net, train, config.horizon());
        double[] errors = BootstrapTrainer.horizonOneErrors(net, heldOut, config);

        assertThat(report.lastLoss()).as("last vs first mini-batch loss").isLessThan(0.75 * report.firstLoss());
        assertThat(errors[0]).as("model MAE at h=1 vs persistence %s", errors[1]).isLessThan(0.9 * errors[1]);
    }

    private static final class IterationCounter extends BaseTrainingListener {
        int iterations;
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            iterations++;
            batchSizes.add(model.batchSize());
        }
    }

    private static INDArray fitted(NetworkSpec spec, List<TrainingWindows.Window> windows, long seed) {
        MultiLayerNetwork net = Dl4jNetworks.create(spec, new TrainingOptions(Optimizer.ADAM, 1e-2, 20, 1), 7);
        new SequenceFitter(5, 2, seed, 1).fit(net, windows, HORIZON);
        return net.params().dup();
    }

    private static INDArray firstGradient(NetworkSpec spec, DataSet data) {
        return firstGradientOf(Dl4jNetworks.create(spec, new TrainingOptions(Optimizer.SGD, 1e-3, 40, 1e9), 2), data);
    }

    private static INDArray firstGradientWithoutTruncation(NetworkSpec spec, DataSet data) {
        return firstGradientOf(Dl4jNetworks.create(spec, new TrainingOptions(Optimizer.SGD, 1e-3, 120, 1e9), 2), data);
    }

    private static INDArray firstGradientOf(MultiLayerNetwork net, DataSet data) {
        List<INDArray> gradients = new ArrayList<>();
        net.addListeners(new BaseTrainingListener() {
            @Override
            public void onGradientCalculation(Model model) {
                gradients.add(model.gradient().gradient().dup());
            }
        });
        net.fit(data);
        return gradients.get(0);
    }

    @Test
    void pacedFitPausesAfterEveryMiniBatchButComputesTheSameWeights() {
        MultiLayerNetwork unpaced = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.ADAM, 1e-3, 20, 5), 3);
        MultiLayerNetwork paced = Dl4jNetworks.create(SPEC, new TrainingOptions(Optimizer.ADAM, 1e-3, 20, 5), 3);
        List<TrainingWindows.Window> windows = windows(12, 40, 4);
        AtomicInteger pauses = new AtomicInteger();

        new SequenceFitter(4, 1, 2, 5).fit(unpaced, windows, HORIZON);
        new SequenceFitter(4, 1, 2, 5, new TrainingPacer(0.25).duringPause(pauses::incrementAndGet))
                .fit(paced, windows, HORIZON);

        assertThat(paced.params().toFloatVector()).containsExactly(unpaced.params().toFloatVector());
        // 12 windows in mini-batches of 4: a pause after each of the 3. How long a pause is, is TrainingPacer's
        // arithmetic (TrainingPacerTest); wall-clock ratios between two fits are too noisy to assert here.
        assertThat(pauses).hasValue(3);
    }

    private static List<TrainingWindows.Window> windows(int count, int length, long seed) {
        List<TrainingWindows.Window> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.addAll(TrainingWindows.windows(SyntheticSequences.normalisedSequence(length + HORIZON,
                    SPEC.inputSize(), seed * 1000 + i), length, HORIZON));
        }
        return out;
    }
}
