package io.sensorcast.recurrent;

/** The step loops in plain Java, shaped so that C2 auto-vectorises them ({@link DenseLoops}, {@link FastMath}). */
final class ScalarStepLoops implements StepLoops {

    static final ScalarStepLoops INSTANCE = new ScalarStepLoops();

    private ScalarStepLoops() {
    }

    /** The rows, not the panels: C2 vectorises {@code acc[j] += c * row[j]}, not an offset into one flat array. */
    @Override
    public void addRows(float[] acc, float[] coeff, float[][] rows, float[] panels, int from, int to, int jFrom,
                        int jTo) {
        DenseLoops.addRows(acc, coeff, rows, from, to, jFrom, jTo);
    }

    /** One loop over all gates: C2 (Java 17) vectorises one long loop, not a branch between tanh and sigmoid. */
    @Override
    public void scaledTanh(float[] z, float[] s) {
        for (int j = 0; j < s.length; j++) {
            float sj = s[j];
            z[j] = (1f - sj) + sj * FastMath.tanh(sj * z[j]);
        }
    }

    @Override
    public void lstmCell(float[] z, float[] scale, int hs, float[] f, float[] o, float[] in, float[] c, float[] tc,
                         float[] h) {
        LstmCell.step(z, scale, hs, f, o, in, c, c, tc, h);
    }

    @Override
    public void tanh(float[] in, float[] out, int n) {
        for (int j = 0; j < n; j++) {
            out[j] = FastMath.tanh(in[j]);
        }
    }

    /** Two outputs per pass, so that each load of h serves both. */
    @Override
    public void head(float[] h, float[][] columns, float[] bias, float[] out) {
        int n = out.length;
        int j = 0;
        for (; j + 1 < n; j += 2) {
            headPair(h, columns[j], columns[j + 1], bias, out, j);
        }
        if (j < n) {
            headPair(h, columns[j], columns[j], bias, out, j);
        }
    }

    /** out[j] and out[j+1] from the head columns c0 and c1; with {@code c0 == c1} only out[j] is written. */
    private static void headPair(float[] hl, float[] c0, float[] c1, float[] hb, float[] out, int j) {
        int units = hl.length;
        float a0 = 0f;
        float a1 = 0f;
        float a2 = 0f;
        float a3 = 0f;
        float b0 = 0f;
        float b1 = 0f;
        float b2 = 0f;
        float b3 = 0f;
        int k = 0;
        for (; k + 3 < units; k += 4) {
            float h0 = hl[k];
            float h1 = hl[k + 1];
            float h2 = hl[k + 2];
            float h3 = hl[k + 3];
            a0 += h0 * c0[k];
            a1 += h1 * c0[k + 1];
            a2 += h2 * c0[k + 2];
            a3 += h3 * c0[k + 3];
            b0 += h0 * c1[k];
            b1 += h1 * c1[k + 1];
            b2 += h2 * c1[k + 2];
            b3 += h3 * c1[k + 3];
        }
        for (; k < units; k++) {
            a0 += hl[k] * c0[k];
            b0 += hl[k] * c1[k];
        }
        out[j] = hb[j] + ((a0 + a1) + (a2 + a3));
        if (c1 != c0) {
            out[j + 1] = hb[j + 1] + ((b0 + b1) + (b2 + b3));
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
