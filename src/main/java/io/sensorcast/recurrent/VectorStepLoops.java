package io.sensorcast.recurrent;

import static io.sensorcast.recurrent.FastMath.ALPHA_1;
import static io.sensorcast.recurrent.FastMath.ALPHA_11;
import static io.sensorcast.recurrent.FastMath.ALPHA_13;
import static io.sensorcast.recurrent.FastMath.ALPHA_3;
import static io.sensorcast.recurrent.FastMath.ALPHA_5;
import static io.sensorcast.recurrent.FastMath.ALPHA_7;
import static io.sensorcast.recurrent.FastMath.ALPHA_9;
import static io.sensorcast.recurrent.FastMath.BETA_0;
import static io.sensorcast.recurrent.FastMath.BETA_2;
import static io.sensorcast.recurrent.FastMath.BETA_4;
import static io.sensorcast.recurrent.FastMath.BETA_6;
import static io.sensorcast.recurrent.FastMath.CLAMP;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The step loops over the Vector API's widest float vectors: the same operations in the same order as
 * {@link ScalarStepLoops}, so the same bits, but the row sum keeps a block of four accumulator vectors in registers
 * across all rows, which C2's auto-vectorisation cannot (it loads and stores the accumulator for every pass).
 *
 * <p>Compiled and loaded only with {@code --add-modules jdk.incubator.vector} (see {@link StepLoops}); the build
 * compiles this file on its own for that reason (pom.xml, execution {@code vector-step-loops}).
 */
final class VectorStepLoops implements StepLoops {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** The head's four partial sums are the four lanes of one 128-bit vector. */
    private static final VectorSpecies<Float> QUAD = FloatVector.SPECIES_128;
    private static final int LANES = SPECIES.length();
    /** Accumulator vectors per block: with more, C2 spilled registers in a scratch harness. */
    private static final int BLOCK = 4 * LANES;

    @Override
    public void addRows(float[] acc, float[] coeff, float[][] rows, int from, int to, int jFrom, int jTo) {
        int j = jFrom;
        for (; j + BLOCK <= jTo; j += BLOCK) {
            FloatVector a0 = FloatVector.fromArray(SPECIES, acc, j);
            FloatVector a1 = FloatVector.fromArray(SPECIES, acc, j + LANES);
            FloatVector a2 = FloatVector.fromArray(SPECIES, acc, j + 2 * LANES);
            FloatVector a3 = FloatVector.fromArray(SPECIES, acc, j + 3 * LANES);
            for (int r = from; r < to; r++) {
                float[] w = rows[r];
                float c = coeff[r];
                a0 = a0.add(FloatVector.fromArray(SPECIES, w, j).mul(c));
                a1 = a1.add(FloatVector.fromArray(SPECIES, w, j + LANES).mul(c));
                a2 = a2.add(FloatVector.fromArray(SPECIES, w, j + 2 * LANES).mul(c));
                a3 = a3.add(FloatVector.fromArray(SPECIES, w, j + 3 * LANES).mul(c));
            }
            a0.intoArray(acc, j);
            a1.intoArray(acc, j + LANES);
            a2.intoArray(acc, j + 2 * LANES);
            a3.intoArray(acc, j + 3 * LANES);
        }
        for (; j + LANES <= jTo; j += LANES) {
            FloatVector a = FloatVector.fromArray(SPECIES, acc, j);
            for (int r = from; r < to; r++) {
                a = a.add(FloatVector.fromArray(SPECIES, rows[r], j).mul(coeff[r]));
            }
            a.intoArray(acc, j);
        }
        for (; j < jTo; j++) {
            float a = acc[j];
            for (int r = from; r < to; r++) {
                a = a + coeff[r] * rows[r][j];
            }
            acc[j] = a;
        }
    }

    @Override
    public void scaledTanh(float[] z, float[] s) {
        int n = s.length;
        int j = 0;
        for (; j + LANES <= n; j += LANES) {
            FloatVector sj = FloatVector.fromArray(SPECIES, s, j);
            FloatVector t = tanh(FloatVector.fromArray(SPECIES, z, j).mul(sj));
            FloatVector.broadcast(SPECIES, 1f).sub(sj).add(sj.mul(t)).intoArray(z, j);
        }
        for (; j < n; j++) {
            float sj = s[j];
            z[j] = (1f - sj) + sj * FastMath.tanh(sj * z[j]);
        }
    }

    @Override
    public void tanh(float[] in, float[] out, int n) {
        int j = 0;
        for (; j + LANES <= n; j += LANES) {
            tanh(FloatVector.fromArray(SPECIES, in, j)).intoArray(out, j);
        }
        for (; j < n; j++) {
            out[j] = FastMath.tanh(in[j]);
        }
    }

    /** Two outputs per pass, like the scalar loops; lane i of each accumulator is the scalar partial sum i. */
    @Override
    public void head(float[] h, float[][] columns, float[] bias, float[] out) {
        int units = h.length;
        int quads = units & ~3;
        int n = out.length;
        int j = 0;
        for (; j + 1 < n; j += 2) {
            float[] c0 = columns[j];
            float[] c1 = columns[j + 1];
            FloatVector a = FloatVector.zero(QUAD);
            FloatVector b = FloatVector.zero(QUAD);
            for (int k = 0; k < quads; k += 4) {
                FloatVector hk = FloatVector.fromArray(QUAD, h, k);
                a = a.add(hk.mul(FloatVector.fromArray(QUAD, c0, k)));
                b = b.add(hk.mul(FloatVector.fromArray(QUAD, c1, k)));
            }
            out[j] = finish(a, h, c0, quads, bias[j]);
            out[j + 1] = finish(b, h, c1, quads, bias[j + 1]);
        }
        if (j < n) {
            float[] c0 = columns[j];
            FloatVector a = FloatVector.zero(QUAD);
            for (int k = 0; k < quads; k += 4) {
                a = a.add(FloatVector.fromArray(QUAD, h, k).mul(FloatVector.fromArray(QUAD, c0, k)));
            }
            out[j] = finish(a, h, c0, quads, bias[j]);
        }
    }

    /** The bias plus the four partial sums, the units past the last full quad added to the first, as the scalar. */
    private static float finish(FloatVector sums, float[] h, float[] column, int quads, float bias) {
        float s0 = sums.lane(0);
        for (int k = quads; k < h.length; k++) {
            s0 += h[k] * column[k];
        }
        return bias + ((s0 + sums.lane(1)) + (sums.lane(2) + sums.lane(3)));
    }

    /** {@link FastMath#tanh} lane by lane, the same operations in the same order. */
    private static FloatVector tanh(FloatVector x) {
        FloatVector v = x.min(CLAMP).max(-CLAMP);
        FloatVector v2 = v.mul(v);
        FloatVector p = v2.mul(ALPHA_13).add(ALPHA_11);
        p = p.mul(v2).add(ALPHA_9);
        p = p.mul(v2).add(ALPHA_7);
        p = p.mul(v2).add(ALPHA_5);
        p = p.mul(v2).add(ALPHA_3);
        p = p.mul(v2).add(ALPHA_1);
        p = p.mul(v);
        FloatVector q = v2.mul(BETA_6).add(BETA_4);
        q = q.mul(v2).add(BETA_2);
        q = q.mul(v2).add(BETA_0);
        return p.div(q);
    }

    @Override
    public String name() {
        return "vector (" + LANES + " float lanes)";
    }
}
