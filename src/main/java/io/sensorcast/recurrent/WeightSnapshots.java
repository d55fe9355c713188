package io.sensorcast.recurrent;

import java.util.Arrays;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Converts between DL4J networks, DL4J's flat parameter vector and immutable {@link NetworkWeights}
 * snapshots.
 *
 * <p>DL4J's flat vector ({@code net.params()}) is, layer by layer, each parameter in key order
 * (W, RW, b for recurrent layers; W, b for the output layer), every matrix flattened column-major.
 * Snapshots keep matrices row-major so the serving kernel walks contiguous rows.
 */
public final class WeightSnapshots {

    private static final String W = "W";
    private static final String RW = "RW";
    private static final String B = "b";

    private WeightSnapshots() {
    }

    /** Number of values in DL4J's flat parameter vector for a network of this shape. */
    public static int parameterCount(NetworkSpec spec) {
        long total = 0;
        int g = spec.cell().gateBlocks();
        for (int l = 0; l < spec.layerCount(); l++) {
            long gh = (long) g * spec.hiddenSize(l);
            total += (spec.layerInputSize(l) + spec.hiddenSize(l) + 1L) * gh;
        }
        total += (spec.lastHiddenSize() + 1L) * spec.outputSize();
        return Math.toIntExact(total);
    }

    /**
     * Copies the network's current parameters into a new snapshot. The network must have been built for
     * {@code spec}, and no other thread may be training it meanwhile (DL4J networks are not thread-safe).
     */
    public static NetworkWeights fromNetwork(MultiLayerNetwork net, NetworkSpec spec) {
        int layerCount = spec.layerCount();
        if (net.getnLayers() != layerCount + 1) {
            throw new IllegalArgumentException("network has " + net.getnLayers() + " layers, " + spec
                    + " needs " + (layerCount + 1) + " (recurrent layers plus output layer)");
        }
        int g = spec.cell().gateBlocks();
        LayerWeights[] layers = new LayerWeights[layerCount];
        for (int l = 0; l < layerCount; l++) {
            Layer layer = net.getLayer(l);
            requireRecurrentType(layer, spec.cell(), l);
            int in = spec.layerInputSize(l);
            int hs = spec.hiddenSize(l);
            layers[l] = new LayerWeights(in, hs,
                    rowMajor(layer, W, in, g * hs),
                    rowMajor(layer, RW, hs, g * hs),
                    rowMajor(layer, B, 1, g * hs));
        }
        Layer head = net.getLayer(layerCount);
        if (!(head.conf().getLayer() instanceof RnnOutputLayer)) {
            throw new IllegalArgumentException("layer " + layerCount + " is not an RnnOutputLayer");
        }
        float[] headW = rowMajor(head, W, spec.lastHiddenSize(), spec.outputSize());
        float[] headB = rowMajor(head, B, 1, spec.outputSize());
        if (net.numParams() != parameterCount(spec)) {
            throw new IllegalArgumentException("network has " + net.numParams() + " parameters, " + spec
                    + " has " + parameterCount(spec));
        }
        return new NetworkWeights(spec, layers, headW, headB);
    }

    /** The snapshot as DL4J's flat parameter vector, ready for {@code net.setParams(Nd4j.create(...))}. */
    public static float[] toFlatParams(NetworkWeights weights) {
        NetworkSpec spec = weights.spec();
        requireShapes(weights);
        float[] flat = new float[parameterCount(spec)];
        int at = 0;
        int g = spec.cell().gateBlocks();
        for (int l = 0; l < spec.layerCount(); l++) {
            LayerWeights lw = weights.layers()[l];
            int gh = g * lw.hiddenSize();
            at = putColumnMajor(lw.w(), lw.inputSize(), gh, flat, at);
            at = putColumnMajor(lw.rw(), lw.hiddenSize(), gh, flat, at);
            at = putColumnMajor(lw.b(), 1, gh, flat, at);
        }
        at = putColumnMajor(weights.headW(), spec.lastHiddenSize(), spec.outputSize(), flat, at);
        putColumnMajor(weights.headB(), 1, spec.outputSize(), flat, at);
        return flat;
    }

    /** A snapshot from DL4J's flat parameter vector; refuses a vector of the wrong length. */
    public static NetworkWeights fromFlatParams(NetworkSpec spec, float[] flat) {
        int expected = parameterCount(spec);
        if (flat.length != expected) {
            throw new IllegalArgumentException("flat parameter vector for " + spec + " must have " + expected
                    + " values, got " + flat.length);
        }
        int g = spec.cell().gateBlocks();
        FlatReader reader = new FlatReader(flat);
        LayerWeights[] layers = new LayerWeights[spec.layerCount()];
        for (int l = 0; l < layers.length; l++) {
            int in = spec.layerInputSize(l);
            int hs = spec.hiddenSize(l);
            layers[l] = new LayerWeights(in, hs,
                    reader.columnMajor(in, g * hs),
                    reader.columnMajor(hs, g * hs),
                    reader.columnMajor(1, g * hs));
        }
        float[] headW = reader.columnMajor(spec.lastHiddenSize(), spec.outputSize());
        float[] headB = reader.columnMajor(1, spec.outputSize());
        return new NetworkWeights(spec, layers, headW, headB);
    }

    /** True when no weight or bias is NaN or infinite; a diverged training run must not be served. */
    public static boolean allFinite(NetworkWeights weights) {
        for (LayerWeights lw : weights.layers()) {
            if (!allFinite(lw.w()) || !allFinite(lw.rw()) || !allFinite(lw.b())) {
                return false;
            }
        }
        return allFinite(weights.headW()) && allFinite(weights.headB());
    }

    private static boolean allFinite(float[] values) {
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    private static void requireRecurrentType(Layer layer, CellType cell, int index) {
        Object conf = layer.conf().getLayer();
        boolean matches = switch (cell) {
            case LSTM -> conf instanceof LSTM;
            case RNN -> conf instanceof SimpleRnn;
            case GRU -> conf instanceof GruLayer;
        };
        if (!matches) {
            throw new IllegalArgumentException("layer " + index + " is a " + conf.getClass().getSimpleName()
                    + ", expected " + cell);
        }
    }

    /** Reads one parameter as a row-major rows x cols array, whatever order DL4J's view has. */
    private static float[] rowMajor(Layer layer, String key, int rows, int cols) {
        INDArray p = layer.getParam(key);
        if (p == null) {
            throw new IllegalArgumentException("layer " + layer.getIndex() + " has no parameter " + key);
        }
        boolean shapeMatches = rows == 1
                ? p.length() == cols && (p.rank() == 1 || p.size(0) == 1)
                : p.rank() == 2 && p.size(0) == rows && p.size(1) == cols;
        if (!shapeMatches) {
            throw new IllegalArgumentException("parameter " + key + " of layer " + layer.getIndex() + " has shape "
                    + Arrays.toString(p.shape()) + ", expected [" + rows + ", " + cols + "]");
        }
        return Nd4j.toFlattened('c', p).toFloatVector();
    }

    private static int putColumnMajor(float[] rowMajor, int rows, int cols, float[] flat, int at) {
        for (int col = 0; col < cols; col++) {
            for (int row = 0; row < rows; row++) {
                flat[at++] = rowMajor[row * cols + col];
            }
        }
        return at;
    }

    /** Walks a flat vector front to back, one column-major parameter at a time. */
    private static final class FlatReader {
        private final float[] flat;
        private int at;

        FlatReader(float[] flat) {
            this.flat = flat;
        }

        float[] columnMajor(int rows, int cols) {
            float[] rowMajor = new float[rows * cols];
            for (int col = 0; col < cols; col++) {
                for (int row = 0; row < rows; row++) {
                    rowMajor[row * cols + col] = flat[at++];
                }
            }
            return rowMajor;
        }
    }

    private static void requireShapes(NetworkWeights weights) {
        NetworkSpec spec = weights.spec();
        int g = spec.cell().gateBlocks();
        boolean ok = weights.layers().length == spec.layerCount()
                && weights.headW().length == spec.lastHiddenSize() * spec.outputSize()
                && weights.headB().length == spec.outputSize();
        for (int l = 0; ok && l < spec.layerCount(); l++) {
            LayerWeights lw = weights.layers()[l];
            int gh = g * spec.hiddenSize(l);
            ok = lw.inputSize() == spec.layerInputSize(l) && lw.hiddenSize() == spec.hiddenSize(l)
                    && lw.w().length == lw.inputSize() * gh && lw.rw().length == lw.hiddenSize() * gh
                    && lw.b().length == gh;
        }
        if (!ok) {
            throw new IllegalArgumentException("weights do not match their spec " + spec);
        }
    }
}
