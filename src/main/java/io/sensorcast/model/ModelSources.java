package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.WeightSnapshots;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

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
        return initialServing(config, fromTopic, reason -> { });
    }

    /** As {@link #initialServing(PipelineConfig, Optional)}, telling {@code onRefused} why each passed-over model was refused. */
    public static ServingModel initialServing(PipelineConfig config, Optional<ModelRecord> fromTopic,
                                             Consumer<String> onRefused) {
        if (fromTopic.isPresent()) {
            try {
                ServingModel model = ModelRecords.toServing(fromTopic.get(), config);
                LOG.info("Starting with model v{} from topic '{}'", model.version(), config.topics().models());
                return model;
            } catch (InvalidModelException e) {
                LOG.warn("Ignoring the model from topic '{}': {}; falling back to the models directory",
                        config.topics().models(), e.getMessage());
                onRefused.accept(e.getMessage());
            }
        }
        return toServing(initial(config, onRefused));
    }

    /** Loads the starting model for {@code config} from disk (directory, else bootstrap), refusing one that does not fit it. */
    public static ModelFiles.LoadedModel initial(PipelineConfig config) {
        return initial(config, reason -> { });
    }

    /**
     * As {@link #initial(PipelineConfig)}: the newest valid version in the models directory, else the
     * bootstrap model. A version that is unreadable, fails its checksum, does not fit or holds NaN is
     * refused (logged and told to {@code onRefused}) and the next older one is tried, so a bad file never
     * replaces the last good model.
     *
     * @throws InvalidModelException if the bootstrap model is needed and is itself invalid
     */
    public static ModelFiles.LoadedModel initial(PipelineConfig config, Consumer<String> onRefused) {
        for (Path version : ModelFiles.versionsNewestFirst(Path.of(config.model().directory()), config.name())) {
            try {
                ModelFiles.LoadedModel model = checked(ModelFiles.load(version), config, version);
                LOG.info("Starting with model v{} from {}", model.metadata().version(), version);
                return model;
            } catch (InvalidModelException e) {
                LOG.warn("Refused model file {}: {}; trying the next older model", version, e.getMessage());
                onRefused.accept(e.getMessage());
            }
        }
        Path bootstrap = Path.of(config.model().path());
        if (!Files.exists(bootstrap)) {
            // Relative paths resolve against the working directory, which is easy to get wrong: name both places.
            throw new InvalidModelException("model.path: model file not found at " + bootstrap.toAbsolutePath()
                    + " ('" + config.model().path() + "' from the working directory " + Path.of("").toAbsolutePath()
                    + "), and model.directory " + Path.of(config.model().directory()).toAbsolutePath()
                    + " holds no valid " + config.name() + "-vN.zip");
        }
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
        float[] parameters = model.network().params().toFloatVector();
        for (int i = 0; i < parameters.length; i++) {
            if (!Float.isFinite(parameters[i])) {
                throw new InvalidModelException("model " + from + " has a NaN or infinite weight (parameter " + i
                        + " of " + parameters.length + " is " + parameters[i] + ")");
            }
        }
        return model;
    }
}
