package io.sensorcast.recurrent;

/**
 * The two loops all matrix work of the serving kernel and the hand-written trainer reduces to, written so C2 vectorises them: every
 * array in the inner loop is indexed by the loop variable alone (C2 on Java 17 keeps {@code a[j] += x * b[off + j]}
 * scalar), and four rows or vectors are folded into each pass so the accumulator is loaded and stored once for four
 * multiply-adds. Both are saxpy-shaped: no float dot-product reduction, which C2 does not vectorise.
 */
public final class DenseLoops {

    private DenseLoops() {
    }

    /** {@code acc[j] += sum over r in [from, to) of coeff[r] * rows[r][j]}, for j in [jFrom, jTo). */
    public static void addRows(float[] acc, float[] coeff, float[][] rows, int from, int to, int jFrom, int jTo) {
        int r = from;
        for (; r + 3 < to; r += 4) {
            float c0 = coeff[r];
            float c1 = coeff[r + 1];
            float c2 = coeff[r + 2];
            float c3 = coeff[r + 3];
            float[] w0 = rows[r];
            float[] w1 = rows[r + 1];
            float[] w2 = rows[r + 2];
            float[] w3 = rows[r + 3];
            for (int j = jFrom; j < jTo; j++) {
                acc[j] = acc[j] + c0 * w0[j] + c1 * w1[j] + c2 * w2[j] + c3 * w3[j];
            }
        }
        for (; r < to; r++) {
            float c = coeff[r];
            float[] w = rows[r];
            for (int j = jFrom; j < jTo; j++) {
                acc[j] = acc[j] + c * w[j];
            }
        }
    }

    /**
     * {@code acc[r][j] += sum over b < n of u[b][r] * v[b][j]}, for r in [0, rows) and j in [from, to): the sum of n
     * outer products, which is how a weight gradient gathers a mini-batch.
     */
    public static void addOuter(float[][] acc, int rows, float[][] u, float[][] v, int n, int from, int to) {
        int b = 0;
        for (; b + 3 < n; b += 4) {
            float[] u0 = u[b];
            float[] u1 = u[b + 1];
            float[] u2 = u[b + 2];
            float[] u3 = u[b + 3];
            float[] v0 = v[b];
            float[] v1 = v[b + 1];
            float[] v2 = v[b + 2];
            float[] v3 = v[b + 3];
            for (int r = 0; r < rows; r++) {
                float a0 = u0[r];
                float a1 = u1[r];
                float a2 = u2[r];
                float a3 = u3[r];
                float[] out = acc[r];
                for (int j = from; j < to; j++) {
                    out[j] = out[j] + a0 * v0[j] + a1 * v1[j] + a2 * v2[j] + a3 * v3[j];
                }
            }
        }
        for (; b < n; b++) {
            float[] ub = u[b];
            float[] vb = v[b];
            for (int r = 0; r < rows; r++) {
                float a = ub[r];
                float[] out = acc[r];
                for (int j = from; j < to; j++) {
                    out[j] = out[j] + a * vb[j];
                }
            }
        }
    }

    /** {@code acc[j] += sum over b < n of v[b][j]}, for j in [0, width): a bias gradient. */
    public static void addAll(float[] acc, float[][] v, int n, int width) {
        for (int b = 0; b < n; b++) {
            float[] vb = v[b];
            for (int j = 0; j < width; j++) {
                acc[j] += vb[j];
            }
        }
    }

    /** Rows of the transpose of {@code rows} ({@code count} rows of {@code width}) into {@code out}. */
    public static void transpose(float[][] rows, int count, int width, float[][] out) {
        for (int r = 0; r < count; r++) {
            float[] row = rows[r];
            for (int j = 0; j < width; j++) {
                out[j][r] = row[j];
            }
        }
    }

    /** A [first][second][length] block of zeros. */
    public static float[][][] cube(int first, int second, int length) {
        float[][][] c = new float[first][second][];
        for (int i = 0; i < first; i++) {
            for (int k = 0; k < second; k++) {
                c[i][k] = new float[length];
            }
        }
        return c;
    }
}
