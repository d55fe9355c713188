package io.sensorcast.recurrent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Lays out a {@link GruLayer}'s parameters in its slice of the network's flat vector as DL4J's LSTM does: W, RW,
 * then b, each matrix column-major ('f'), so {@link WeightSnapshots} reads and writes all cells alike.
 */
final class GruParamInitializer implements ParamInitializer {

    static final GruParamInitializer INSTANCE = new GruParamInitializer();

    static final String WEIGHT_KEY = "W";
    static final String RECURRENT_WEIGHT_KEY = "RW";
    static final String BIAS_KEY = "b";

    private static final List<String> KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY, BIAS_KEY);
    private static final List<String> WEIGHT_KEYS = List.of(WEIGHT_KEY, RECURRENT_WEIGHT_KEY);
    private static final List<String> BIAS_KEYS = List.of(BIAS_KEY);

    private GruParamInitializer() {
    }

    @Override
    public long numParams(NeuralNetConfiguration conf) {
        return numParams(conf.getLayer());
    }

    @Override
    public long numParams(Layer layer) {
        GruLayer gru = (GruLayer) layer;
        long h = gru.getNOut();
        return (gru.getNIn() + h + 1) * 3 * h;
    }

    @Override
    public List<String> paramKeys(Layer layer) {
        return KEYS;
    }

    @Override
    public List<String> weightKeys(Layer layer) {
        return WEIGHT_KEYS;
    }

    @Override
    public List<String> biasKeys(Layer layer) {
        return BIAS_KEYS;
    }

    @Override
    public boolean isWeightParam(Layer layer, String key) {
        return WEIGHT_KEYS.contains(key);
    }

    @Override
    public boolean isBiasParam(Layer layer, String key) {
        return BIAS_KEY.equals(key);
    }

    @Override
    public Map<String, INDArray> init(NeuralNetConfiguration conf, INDArray paramsView, boolean initializeParams) {
        GruLayer gru = (GruLayer) conf.getLayer();
        Map<String, INDArray> params = views(gru, paramsView);
        if (initializeParams) {
            long nIn = gru.getNIn();
            long h = gru.getNOut();
            IWeightInit init = gru.getWeightInitFn();
            IWeightInit recurrentInit = gru.getWeightInitFnRecurrent() != null ? gru.getWeightInitFnRecurrent() : init;
            init.init(nIn, h, new long[] {nIn, 3 * h}, IWeightInit.DEFAULT_WEIGHT_INIT_ORDER, params.get(WEIGHT_KEY));
            recurrentInit.init(h, h, new long[] {h, 3 * h}, IWeightInit.DEFAULT_WEIGHT_INIT_ORDER,
                    params.get(RECURRENT_WEIGHT_KEY));
            params.get(BIAS_KEY).assign(gru.getBiasInit());
        }
        for (String key : KEYS) {
            conf.addVariable(key);
        }
        return params;
    }

    @Override
    public Map<String, INDArray> getGradientsFromFlattened(NeuralNetConfiguration conf, INDArray gradientView) {
        return views((GruLayer) conf.getLayer(), gradientView);
    }

    private static Map<String, INDArray> views(GruLayer gru, INDArray flat) {
        long nIn = gru.getNIn();
        long h = gru.getNOut();
        long width = 3 * h;
        INDArray vector = flat.reshape(flat.length());
        long w = nIn * width;
        long rw = h * width;
        Map<String, INDArray> views = new LinkedHashMap<>();
        views.put(WEIGHT_KEY, vector.get(NDArrayIndex.interval(0, w)).reshape('f', nIn, width));
        views.put(RECURRENT_WEIGHT_KEY, vector.get(NDArrayIndex.interval(w, w + rw)).reshape('f', h, width));
        views.put(BIAS_KEY, vector.get(NDArrayIndex.interval(w + rw, w + rw + width)));
        return views;
    }
}
