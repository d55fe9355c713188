package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.WeightSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds the model to start serving with: the newest on the model topic, else the newest in the models
 * directory, else the bootstrap model.
 */
public final class ModelSources {

    private static final Logger LOG = LoggerFactory.getLogger(ModelSources.class);

    private ModelSources() {
    }

    /**
     * The model to start serving with: {@code fromTopic} (the newest record on the model topic, see
     * {@link ModelUpdates#latest}) when present and valid, else {@link #initial(PipelineConfig)}.
     */
    public static ServingModel initialServing(PipelineConfig config, Optional<ModelRecord> fromTopic) {
        if (fromTopic.isPresent()) {
            try {
                ServingModel model = ModelRecords.toServing(fromTopic.get(), config);
                LOG.info("Starting with model v{} from topic '{}'", model.version(), config.topics().models());
                return model;
            } catch (InvalidModelException e) {
                LOG.warn("Ignoring the model from topic '{}': {}; falling back to the models directory",
                        config.topics().models(), e.getMessage());
            }
        }
        return toServing(initial(config));
    }

    /** Loads the starting model for {@code config} from disk (directory, else bootstrap), refusing one that does not fit it. */
    public static ModelFiles.LoadedModel initial(PipelineConfig config) {
        Optional<Path> newest = ModelFiles.newestVersion(Path.of(config.model().directory()), config.name());
        if (newest.isPresent()) {
            try {
                ModelFiles.LoadedModel model = checked(ModelFiles.load(newest.get()), config, newest.get());
                LOG.info("Starting with model v{} from {}", model.metadata().version(), newest.get());
                return model;
            } catch (InvalidModelException e) {
                LOG.warn("Ignoring {}: {}; falling back to the bootstrap model", newest.get(), e.getMessage());
            }
        }
        Path bootstrap = Path.of(config.model().path());
        ModelFiles.LoadedModel model = checked(ModelFiles.load(bootstrap), config, bootstrap);
        LOG.info("Starting with bootstrap model v{} from {}", model.metadata().version(), bootstrap);
        return model;
    }

    /** The serving snapshot of a loaded model. */
    public static ServingModel toServing(ModelFiles.LoadedModel model) {
        NetworkSpec spec = ModelShapes.specOf(model.metadata());
        return new ServingModel(model.metadata().version(), WeightSnapshots.fromNetwork(model.network(), spec),
                model.metadata());
    }

    private static ModelFiles.LoadedModel checked(ModelFiles.LoadedModel model, PipelineConfig config, Path from) {
        List<String> problems = ModelShapes.mismatches(model.metadata(), config);
        if (!problems.isEmpty()) {
            throw new InvalidModelException("model " + from + " does not fit pipeline '" + config.name() + "': "
                    + String.join("; ", problems));
        }
        long expected = WeightSnapshots.parameterCount(ModelShapes.specOf(model.metadata()));
        if (model.network().numParams() != expected) {
            throw new InvalidModelException("model " + from + " has " + model.network().numParams()
                    + " parameters; its metadata's shape needs " + expected);
        }
        return model;
    }
}
