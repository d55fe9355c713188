package io.sensorcast.training;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.forecast.SensorForecaster;
import io.sensorcast.ingest.SensorEvent;
import io.sensorcast.model.ModelShapes;
import io.sensorcast.model.ServingModel;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.state.SensorState;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Fits a network offline on a recorded set of events, passing them through exactly the serving path
 * (validation order, normalisation, features) to get its inputs: how the shipped bootstrap model is made.
 */
public final class BootstrapTrainer {

    /** How to fit. */
    public record Options(long seed, int epochs, int windowLength, int batchSize, double validationShare,
                          TrainingOptions training) {
    }

    /**
     * The fitted network with its figures; errors are in units of each sensor's standard deviation and
     * {@code clippedFraction} is the share of updates in which some layer's gradient was clipped.
     */
    public record Result(MultiLayerNetwork network, List<Double> epochLosses, double clippedFraction,
                         int trainWindows, int validationWindows, double validationMae, double persistenceMae) {
    }

    private BootstrapTrainer() {
    }

    /**
     * @param events   events of any number of sensors; each sensor's events in time order
     * @param progress told the number of each finished epoch
     */
    public static Result train(PipelineConfig config, List<SensorEvent> events, Options options, IntConsumer progress) {
        NetworkSpec spec = ModelShapes.specOf(config);
        Map<String, List<StepRecord>> sequences = record(config, spec, events);

        List<TrainingWindows.Window> train = new ArrayList<>();
        List<TrainingWindows.Window> validation = new ArrayList<>();
        for (List<StepRecord> sequence : sequences.values()) {
            List<TrainingWindows.Window> windows = TrainingWindows.windows(sequence, options.windowLength(),
                    config.horizon());
            // The newest windows of each sensor are held out: validation is always later than training.
            int held = (int) Math.round(windows.size() * options.validationShare());
            train.addAll(windows.subList(0, windows.size() - held));
            validation.addAll(windows.subList(windows.size() - held, windows.size()));
        }
        if (train.isEmpty()) {
            throw new IllegalArgumentException("not enough events for one training window of "
                    + options.windowLength() + " steps");
        }

        MultiLayerNetwork net = Dl4jNetworks.create(spec, options.training(), options.seed());
        List<Double> losses = new ArrayList<>();
        long clipped = 0;
        long iterations = 0;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            // One epoch per fit, each with its own shuffle seed, so progress can be told between epochs.
            SequenceFitter.FitReport report = new SequenceFitter(options.batchSize(), 1, options.seed() + epoch,
                    options.training().gradientClipThreshold()).fit(net, train, config.horizon());
            losses.add(report.meanLoss());
            clipped += Math.round(report.clippedFraction() * report.iterations());
            iterations += report.iterations();
            progress.accept(epoch);
        }
        double[] errors = validation.isEmpty() ? new double[]{Double.NaN, Double.NaN}
                : horizonOneErrors(net, validation, config);
        return new Result(net, losses, (double) clipped / iterations, train.size(), validation.size(), errors[0],
                errors[1]);
    }

    /** Runs events through the serving path and keeps every step's inputs, per sensor. */
    static Map<String, List<StepRecord>> record(PipelineConfig config, NetworkSpec spec, List<SensorEvent> events) {
        Map<String, List<StepRecord>> sequences = new LinkedHashMap<>();
        // Inputs never depend on the weights (teacher forcing), so any finite weights will do here.
        ServingModel zeros = new ServingModel(0, NetworkWeights.zeros(spec), null);
        SensorForecaster forecaster = new SensorForecaster(config, spec,
                (sensorId, step, ts, input, values, mean, std) -> sequences
                        .computeIfAbsent(sensorId, k -> new ArrayList<>())
                        .add(StepRecord.copyOf(ts, input, values, mean, std)));
        Map<String, SensorState> states = new HashMap<>();
        for (SensorEvent event : events) {
            SensorState state = states.computeIfAbsent(event.sensorId(), k -> forecaster.newState());
            if (SensorForecaster.isInOrder(state, event)) {
                forecaster.advance(state, event, zeros);
            }
        }
        return sequences;
    }

    /** Mean absolute horizon-1 error of the network and of persistence over validation windows. */
    static double[] horizonOneErrors(MultiLayerNetwork net, List<TrainingWindows.Window> windows,
                                     PipelineConfig config) {
        DataSet data = TrainingWindows.toDataSet(windows, config.horizon());
        net.rnnClearPreviousState();
        INDArray predicted = net.output(data.getFeatures());
        INDArray labels = data.getLabels();
        int channels = config.channels().size();
        long n = labels.size(0);
        long length = labels.size(2);
        double model = 0;
        double naive = 0;
        long count = 0;
        for (int w = 0; w < n; w++) {
            for (int t = 0; t < length; t++) {
                for (int ch = 0; ch < channels; ch++) {
                    double actual = labels.getDouble(w, ch, t);
                    model += Math.abs(predicted.getDouble(w, ch, t) - actual);
                    // Labels are changes from the current value: persistence forecasts a change of 0.
                    naive += Math.abs(actual);
                    count++;
                }
            }
        }
        return new double[]{model / count, naive / count};
    }
}
