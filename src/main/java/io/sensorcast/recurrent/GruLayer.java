package io.sensorcast.recurrent;

import java.util.Collection;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J configuration of a GRU layer, which DL4J 1.0.0-M2.1 lacks: trained inside a {@code MultiLayerNetwork} like
 * its LSTM, with truncated BPTT, {@code rnnTimeStep} and per-layer clipping (see {@link GruNetworkLayer}).
 *
 * <p>Parameters, in DL4J's usual keys: {@code W [nIn, 3H]}, {@code RW [H, 3H]}, {@code b [3H]}, gate blocks
 * {@code [0,H)} reset r, {@code [H,2H)} update z, {@code [2H,3H)} candidate; gates are sigmoid, the candidate tanh:
 * <pre>
 *   r = σ(x·W_r + h·RW_r + b_r)    z = σ(x·W_z + h·RW_z + b_z)
 *   ĥ = tanh(x·W_c + (r ⊙ h)·RW_c + b_c)
 *   h' = h + z ⊙ (ĥ − h)           (= (1 − z) ⊙ h + z ⊙ ĥ)
 * </pre>
 * Only the NCW data format ({@code [minibatch, features, time]}) and no masks, which is all the trainer feeds it.
 * The class name is written into saved models' configuration JSON, so it must not be renamed or moved.
 */
public class GruLayer extends BaseRecurrentLayer {

    private static final long serialVersionUID = 1L;

    /** For DL4J's JSON deserialisation of saved configurations. */
    public GruLayer() {
    }

    private GruLayer(Builder builder) {
        super(builder);
        initializeConstraints(builder);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
                                                       Collection<TrainingListener> listeners, int layerIndex,
                                                       INDArray layerParamsView, boolean initializeParams,
                                                       DataType networkDataType) {
        if (getRnnDataFormat() != RNNFormat.NCW) {
            throw new IllegalArgumentException("GRU layer " + layerIndex + " supports only the NCW data format");
        }
        GruNetworkLayer layer = new GruNetworkLayer(conf, networkDataType);
        layer.setListeners(listeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> params = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(params);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return GruParamInitializer.INSTANCE;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        return new LayerMemoryReport.Builder(layerName, GruLayer.class, inputType, getOutputType(-1, inputType))
                .standardMemory(initializer().numParams(this), 0)
                .workingMemory(0, 0, 0, 0)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    /** Builds a {@link GruLayer}; set nIn and nOut (H). */
    public static final class Builder extends BaseRecurrentLayer.Builder<Builder> {

        @Override
        @SuppressWarnings("unchecked")
        public <E extends Layer> E build() {
            return (E) new GruLayer(this);
        }
    }
}
