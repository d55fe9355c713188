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
     * <p>All 4H activations run as one loop, {@code (1-s) + s*tanh(s*z)}: with s = 1 that is exactly tanh(z), with
     * s = 0.5 exactly {@link FastMath#sigmoid}'s {@code 0.5 + 0.5*tanh(0.5*z)}. One long loop vectorises far better
     * than a short tanh loop beside a sigmoid loop, and C2 (Java 17) does not vectorise a branch between the two.
     */
    public static void step(float[] z, float[] scale, int hs, float[] f, float[] o, float[] in, float[] cPrev,
                            float[] c, float[] tc, float[] h) {
        int width = scale.length;
        for (int j = 0; j < width; j++) {
            float s = scale[j];
            z[j] = (1f - s) + s * FastMath.tanh(s * z[j]);
        }
        System.arraycopy(z, hs, f, 0, hs);
        System.arraycopy(z, 2 * hs, o, 0, hs);
        System.arraycopy(z, 3 * hs, in, 0, hs);
        for (int j = 0; j < hs; j++) {
            c[j] = f[j] * cPrev[j] + in[j] * z[j];
        }
        for (int j = 0; j < hs; j++) {
            tc[j] = FastMath.tanh(c[j]);
        }
        for (int j = 0; j < hs; j++) {
            h[j] = o[j] * tc[j];
        }
    }
}
