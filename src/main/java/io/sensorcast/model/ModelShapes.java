package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.recurrent.CellType;
import io.sensorcast.recurrent.NetworkSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Derives network shapes from a pipeline and checks that a model fits the pipeline serving it. */
public final class ModelShapes {

    private ModelShapes() {
    }

    /** The network a pipeline needs. */
    public static NetworkSpec specOf(PipelineConfig config) {
        return new NetworkSpec(config.model().cell(), config.inputSize(), config.model().hiddenSizes(),
                headWidth(config));
    }

    /** The network a model's metadata describes. */
    public static NetworkSpec specOf(ModelMetadata m) {
        CellType cell = CellType.valueOf(m.cell().toUpperCase(Locale.ROOT));
        return new NetworkSpec(cell, m.inputSize(), m.layers().stream().mapToInt(Integer::intValue).toArray(),
                m.outputSize());
    }

    /** Outputs of the network's head: one per forecast value, twice that with a distribution head. */
    public static int headWidth(PipelineConfig config) {
        return config.outputSize() * (config.training().distributionHead() ? 2 : 1);
    }

    /** True when a network of {@code spec} forecasts a Laplace scale beside each of {@code forecastSize} values. */
    public static boolean hasDistributionHead(NetworkSpec spec, int forecastSize) {
        return spec.outputSize() == 2 * forecastSize;
    }

    /** Every way {@code model} differs from what {@code config} serves; empty when it fits. */
    public static List<String> mismatches(ModelMetadata model, PipelineConfig config) {
        List<String> problems = new ArrayList<>();
        if (!model.cell().equalsIgnoreCase(config.model().cell().name())) {
            problems.add("cell " + model.cell() + " != model.cell " + config.model().cell().name().toLowerCase(Locale.ROOT));
        }
        if (!model.layers().equals(config.model().layers())) {
            problems.add("layers " + model.layers() + " != model.layers " + config.model().layers());
        }
        if (!model.channels().equals(config.channels())) {
            problems.add("channels " + model.channels() + " != channels " + config.channels());
        }
        if (model.horizon() != config.horizon()) {
            problems.add("horizon " + model.horizon() + " != horizon " + config.horizon());
        }
        if (model.timeOfDay() != config.features().timeOfDay() || model.dayOfWeek() != config.features().dayOfWeek()) {
            problems.add("time features (timeOfDay " + model.timeOfDay() + ", dayOfWeek " + model.dayOfWeek()
                    + ") != features (" + config.features().timeOfDay() + ", " + config.features().dayOfWeek() + ")");
        }
        List<String> seasons = config.features().seasons().stream().map(Object::toString).toList();
        if (!model.seasonsOrNone().equals(seasons)) {
            problems.add("seasons " + model.seasonsOrNone() + " != features.seasons " + seasons);
        }
        if (model.inputSize() != config.inputSize()) {
            problems.add("input " + model.inputSize() + " != " + config.inputSize());
        }
        if (model.outputSize() != headWidth(config)) {
            problems.add("head of " + model.outputSize() + " outputs != " + headWidth(config) + " for horizon x channels "
                    + config.outputSize() + " and training.loss " + config.training().loss()
                    + " (laplace doubles the head)");
        }
        return problems;
    }
}
