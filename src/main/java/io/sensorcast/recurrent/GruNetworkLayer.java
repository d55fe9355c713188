package io.sensorcast.recurrent;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.BaseRecurrentLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The running GRU layer of a {@code MultiLayerNetwork}: forward pass, hand-written backpropagation through time
 * (whole sequence or the last {@code tbpttBackLength} steps) and the stored state that {@code rnnTimeStep} and
 * truncated BPTT carry between calls. Equations and parameter layout: {@link GruLayer}.
 *
 * <p>All arithmetic runs outside DL4J's workspaces, on ordinary arrays; only the activations and the error
 * handed to the layer below are copied into the workspaces DL4J expects them in. A training forward pass keeps
 * what backpropagation needs (inputs, previous states, gates, candidates) until the next backward pass.
 */
final class GruNetworkLayer extends BaseRecurrentLayer<GruLayer> {

    /** The same key as DL4J's LSTM and SimpleRnn use for their last output. */
    static final String STATE_KEY = "prevAct";

    /** Forward results of the last training pass, for {@link #tbpttBackpropGradient}; null when consumed. */
    private ForwardPass lastTrainingPass;

    GruNetworkLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public boolean isPretrainLayer() {
        return false;
    }

    @Override
    public Type type() {
        return Type.RECURRENT;
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return forward(null, training, workspaceMgr).outputIn(workspaceMgr);
    }

    @Override
    public INDArray rnnTimeStep(INDArray input, LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        ForwardPass pass = forward(stateMap.get(STATE_KEY), false, workspaceMgr);
        stateMap.put(STATE_KEY, pass.last);
        return pass.outputIn(workspaceMgr);
    }

    @Override
    public INDArray rnnActivateUsingStoredState(INDArray input, boolean training, boolean storeLastForTBPTT,
                                                LayerWorkspaceMgr workspaceMgr) {
        setInput(input, workspaceMgr);
        ForwardPass pass = forward(tBpttStateMap.get(STATE_KEY), training, workspaceMgr);
        if (storeLastForTBPTT) {
            tBpttStateMap.put(STATE_KEY, pass.last);
        }
        return pass.outputIn(workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return tbpttBackpropGradient(epsilon, -1, workspaceMgr);
    }

    @Override
    @SuppressWarnings("try") // the workspace scope, as in forward
    public Pair<Gradient, INDArray> tbpttBackpropGradient(INDArray epsilon, int tbpttBackLength,
                                                          LayerWorkspaceMgr workspaceMgr) {
        ForwardPass pass = lastTrainingPass;
        if (pass == null) {
            // DL4J always runs a training forward pass first; without one, replay it from a zero state.
            pass = forward(null, true, workspaceMgr);
        }
        lastTrainingPass = null;
        INDArray epsilonOut;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            epsilonOut = backward(pass, epsilon, tbpttBackLength);
        }
        Gradient gradient = new DefaultGradient(gradientsFlattened);
        for (String key : GruParamInitializer.INSTANCE.paramKeys(layerConf())) {
            gradient.gradientForVariable().put(key, gradientViews.get(key));
        }
        return new Pair<>(gradient, workspaceMgr.dup(ArrayType.ACTIVATION_GRAD, epsilonOut, 'f'));
    }

    @Override
    public void clear() {
        super.clear();
        lastTrainingPass = null;
    }

    // The scope's resource is never read: opening it is what moves the work out of DL4J's workspaces.
    @SuppressWarnings("try")
    private ForwardPass forward(INDArray initialState, boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (maskArray != null) {
            throw new UnsupportedOperationException("the GRU layer does not support masks");
        }
        if (input.rank() != 3) {
            throw new IllegalArgumentException("GRU layer " + index + " needs [minibatch, features, time] input, got rank "
                    + input.rank());
        }
        ForwardPass pass;
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            pass = new ForwardPass(input.dup('f'), (int) layerConf().getNOut(), initialState, training);
            pass.run(getParam(GruParamInitializer.WEIGHT_KEY), getParam(GruParamInitializer.RECURRENT_WEIGHT_KEY),
                    getParam(GruParamInitializer.BIAS_KEY));
        }
        lastTrainingPass = training ? pass : null;
        return pass;
    }

    /**
     * Writes the parameter gradients into the layer's gradient views and returns dL/dx for the layer below.
     * The recurrence is cut {@code backLength} steps before the end when positive; the carried-in state is a
     * constant, as truncated BPTT treats it.
     */
    private INDArray backward(ForwardPass p, INDArray epsilon, int backLength) {
        INDArray w = getParam(GruParamInitializer.WEIGHT_KEY);
        INDArray rw = getParam(GruParamInitializer.RECURRENT_WEIGHT_KEY);
        int h = p.units;
        INDArray rwGates = rw.get(all(), interval(0, 2 * h));
        INDArray rwCandidate = rw.get(all(), interval(2 * h, 3 * h));
        INDArray dW = Nd4j.zeros(w.dataType(), w.shape());
        INDArray dRW = Nd4j.zeros(rw.dataType(), rw.shape());
        INDArray dRWGates = dRW.get(all(), interval(0, 2 * h));
        INDArray dRWCandidate = dRW.get(all(), interval(2 * h, 3 * h));
        INDArray db = Nd4j.zeros(w.dataType(), 1, 3L * h);
        INDArray epsilonOut = Nd4j.create(w.dataType(), p.x.shape(), 'f');
        int steps = p.steps;
        int end = backLength > 0 ? Math.max(0, steps - backLength) : 0;
        INDArray dhNext = null;
        for (int t = steps - 1; t >= end; t--) {
            INDArray r = p.gates[t].get(all(), interval(0, h));
            INDArray z = p.gates[t].get(all(), interval(h, 2 * h));
            INDArray candidate = p.candidates[t];
            INDArray hPrev = p.previous[t];
            INDArray dh = epsilon.get(all(), all(), point(t)).dup();
            if (dhNext != null) {
                dh.addi(dhNext);
            }
            // h' = h + z (ĥ - h)
            INDArray dCandidate = dh.mul(z).muli(candidate.mul(candidate).rsubi(1));
            INDArray dz = dh.mul(candidate.sub(hPrev)).muli(z.mul(z.rsub(1)));
            INDArray dhPrev = dh.mul(z.rsub(1));
            // ĥ = tanh(x W_c + (r ⊙ h) RW_c + b_c)
            INDArray dResetHidden = dCandidate.mmul(rwCandidate.transpose());
            INDArray dr = dResetHidden.mul(hPrev).muli(r.mul(r.rsub(1)));
            dhPrev.addi(dResetHidden.mul(r));
            INDArray dGates = Nd4j.hstack(dr, dz);
            INDArray dPre = Nd4j.hstack(dGates, dCandidate);
            dhPrev.addi(dGates.mmul(rwGates.transpose()));

            INDArray xt = p.x.get(all(), all(), point(t));
            dW.addi(xt.transpose().mmul(dPre));
            dRWGates.addi(hPrev.transpose().mmul(dGates));
            dRWCandidate.addi(p.resetHidden[t].transpose().mmul(dCandidate));
            db.addi(dPre.sum(true, 0));
            epsilonOut.get(all(), all(), point(t)).assign(dPre.mmul(w.transpose()));
            dhNext = dhPrev;
        }
        gradientViews.get(GruParamInitializer.WEIGHT_KEY).assign(dW);
        gradientViews.get(GruParamInitializer.RECURRENT_WEIGHT_KEY).assign(dRW);
        gradientViews.get(GruParamInitializer.BIAS_KEY).assign(db.reshape(db.length()));
        return epsilonOut;
    }

    /** One forward pass over a [minibatch, nIn, T] input, and what backpropagation needs of it. */
    private static final class ForwardPass {
        final INDArray x;
        final int units;
        final int steps;
        final INDArray out;
        /** Per step, when training: the state before it, sigmoid(r | z), the candidate ĥ and r ⊙ h. */
        final INDArray[] previous;
        final INDArray[] gates;
        final INDArray[] candidates;
        final INDArray[] resetHidden;
        INDArray last;
        private final INDArray initial;

        ForwardPass(INDArray x, int units, INDArray initialState, boolean training) {
            this.x = x;
            this.units = units;
            this.steps = (int) x.size(2);
            this.out = Nd4j.create(x.dataType(), new long[] {x.size(0), units, steps}, 'f');
            int kept = training ? steps : 0;
            this.previous = new INDArray[kept];
            this.gates = new INDArray[kept];
            this.candidates = new INDArray[kept];
            this.resetHidden = new INDArray[kept];
            this.initial = initialState == null ? Nd4j.zeros(x.dataType(), x.size(0), units)
                    : initialState.castTo(x.dataType()).reshape(x.size(0), units).dup();
        }

        void run(INDArray w, INDArray rw, INDArray b) {
            int h = units;
            INDArray rwGates = rw.get(all(), interval(0, 2 * h));
            INDArray rwCandidate = rw.get(all(), interval(2 * h, 3 * h));
            INDArray bias = b.reshape(1, 3L * h);
            INDArray state = initial;
            boolean keep = previous.length > 0;
            for (int t = 0; t < steps; t++) {
                INDArray pre = x.get(all(), all(), point(t)).mmul(w).addiRowVector(bias);
                INDArray gatePre = pre.get(all(), interval(0, 2 * h)).addi(state.mmul(rwGates));
                INDArray g = Transforms.sigmoid(gatePre, true);
                INDArray r = g.get(all(), interval(0, h));
                INDArray z = g.get(all(), interval(h, 2 * h));
                INDArray rh = r.mul(state);
                INDArray candidate = Transforms.tanh(pre.get(all(), interval(2 * h, 3 * h)).addi(rh.mmul(rwCandidate)), true);
                INDArray next = candidate.sub(state).muli(z).addi(state);
                out.get(all(), all(), point(t)).assign(next);
                if (keep) {
                    previous[t] = state;
                    gates[t] = g;
                    candidates[t] = candidate;
                    resetHidden[t] = rh;
                }
                state = next;
            }
            last = state;
        }

        INDArray outputIn(LayerWorkspaceMgr workspaceMgr) {
            return workspaceMgr.dup(ArrayType.ACTIVATIONS, out, 'f');
        }
    }
}
