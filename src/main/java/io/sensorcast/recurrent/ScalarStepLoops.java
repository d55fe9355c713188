package io.sensorcast.recurrent;

/** The step loops in plain Java, shaped so that C2 auto-vectorises them ({@link DenseLoops}, {@link FastMath}). */
final class ScalarStepLoops implements StepLoops {

    static final ScalarStepLoops INSTANCE = new ScalarStepLoops();

    private ScalarStepLoops() {
    }

    @Override
    public void addRows(float[] acc, float[] coeff, float[][] rows, int from, int to, int jFrom, int jTo) {
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
    public void tanh(float[] in, float[] out, int n) {
        for (int j = 0; j < n; j++) {
            out[j] = FastMath.tanh(in[j]);
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
