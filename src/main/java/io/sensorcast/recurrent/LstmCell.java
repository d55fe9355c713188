package io.sensorcast.recurrent;

/**
 * The LSTM cell's element-wise arithmetic after the gate pre-activations, shared by the serving kernel and the
 * hand-written trainer so that both compute DL4J's cell the same way. Gate blocks as DL4J lays them out:
 * [0,H) candidate, [H,2H) forget, [2H,3H) output, [3H,4H) input.
 */
public final class LstmCell {

    private LstmCell() {
    }

    /**
     * Activates {@code z[0, 4H)} in place and advances the cell: {@code c = f*cPrev + i*candidate},
     * {@code tc = tanh(c)}, {@code h = o*tc}. {@code c} may be {@code cPrev} (the kernel updates in place);
     * {@code f}, {@code o} and {@code in} receive the gate activations.
     *
     * <p>All 4H activations run as one loop, {@code (1-s) + s*tanh(s*z)} ({@link StepLoops#scaledTanh}): with s = 1
     * that is exactly tanh(z), with s = 0.5 exactly {@link FastMath#sigmoid}'s {@code 0.5 + 0.5*tanh(0.5*z)}. One
     * long loop vectorises far better than a short tanh loop beside a sigmoid loop.
     */
    public static void step(float[] z, float[] scale, int hs, float[] f, float[] o, float[] in, float[] cPrev,
                            float[] c, float[] tc, float[] h) {
        ScalarStepLoops.INSTANCE.scaledTanh(z, scale);
        System.arraycopy(z, hs, f, 0, hs);
        System.arraycopy(z, 2 * hs, o, 0, hs);
        System.arraycopy(z, 3 * hs, in, 0, hs);
        for (int j = 0; j < hs; j++) {
            c[j] = f[j] * cPrev[j] + in[j] * z[j];
        }
        ScalarStepLoops.INSTANCE.tanh(c, tc, hs);
        for (int j = 0; j < hs; j++) {
            h[j] = o[j] * tc[j];
        }
    }
}
