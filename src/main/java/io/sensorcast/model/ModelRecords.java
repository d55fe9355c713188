package io.sensorcast.model;

import io.sensorcast.config.PipelineConfig;
import io.sensorcast.recurrent.Dl4jNetworks;
import io.sensorcast.recurrent.NetworkSpec;
import io.sensorcast.recurrent.NetworkWeights;
import io.sensorcast.recurrent.TrainingOptions;
import io.sensorcast.recurrent.WeightSnapshots;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/** Converts model records to serving snapshots and DL4J networks and back, refusing records that must not serve. */
public final class ModelRecords {

    private ModelRecords() {
    }

    /**
     * The serving snapshot of a record.
     *
     * @throws InvalidModelException if the record belongs to another model name, its metadata does not fit
     *                               the pipeline, its parameter count does not fit its shape, or a parameter
     *                               is NaN or infinite
     */
    public static ServingModel toServing(ModelRecord record, PipelineConfig config) {
        ModelMetadata metadata = record.metadata();
        String label = "model record v" + (metadata == null ? "?" : metadata.version());
        if (metadata == null || metadata.name() == null || metadata.cell() == null || metadata.layers() == null
                || metadata.channels() == null) {
            throw new InvalidModelException(label + " lacks its name, cell, layers or channels");
        }
        if (!metadata.name().equals(config.name())) {
            throw new InvalidModelException(label + " is for model '" + metadata.name() + "', this pipeline serves '"
                    + config.name() + "'");
        }
        List<String> problems = ModelShapes.mismatches(metadata, config);
        if (!problems.isEmpty()) {
            throw new InvalidModelException(label + " does not fit pipeline '" + config.name() + "': "
                    + String.join("; ", problems));
        }
        NetworkWeights weights;
        try {
            weights = WeightSnapshots.fromFlatParams(ModelShapes.specOf(metadata), record.parameters());
        } catch (IllegalArgumentException e) {
            throw new InvalidModelException(label + " has the wrong number of parameters: " + e.getMessage(), e);
        }
        if (!WeightSnapshots.allFinite(weights)) {
            throw new InvalidModelException(label + " has NaN or infinite parameters");
        }
        return new ServingModel(metadata.version(), weights, metadata);
    }

    /**
     * A record of the network's current parameters, with their checksum. The network must have the shape
     * {@code metadata} describes, and no other thread may be training it meanwhile.
     *
     * @throws IllegalArgumentException if the network's layers or parameter count differ from the metadata's shape
     */
    public static ModelRecord fromNetwork(MultiLayerNetwork net, ModelMetadata metadata) {
        // Through the snapshot rather than net.params(): that checks every layer's type and shape on the way.
        NetworkWeights weights = WeightSnapshots.fromNetwork(net, ModelShapes.specOf(metadata));
        return ModelRecordCodec.of(metadata, WeightSnapshots.toFlatParams(weights));
    }

    /**
     * A DL4J network holding the record's parameters, e.g. to save it as a zip. Its training configuration
     * is {@link TrainingOptions#defaults()}; the record carries weights only.
     *
     * @throws InvalidModelException if the record's parameter count does not fit {@code spec}
     */
    public static MultiLayerNetwork toNetwork(ModelRecord record, NetworkSpec spec) {
        float[] parameters = record.parameters();
        int expected = WeightSnapshots.parameterCount(spec);
        if (parameters.length != expected) {
            throw new InvalidModelException("model record v" + record.metadata().version() + " has "
                    + parameters.length + " parameters; " + spec + " needs " + expected);
        }
        // The seed only drives the initial weights, which setParams replaces entirely.
        MultiLayerNetwork net = Dl4jNetworks.create(spec, TrainingOptions.defaults(), 0);
        net.setParams(Nd4j.create(parameters, new long[] {1, parameters.length}, DataType.FLOAT));
        return net;
    }
}
