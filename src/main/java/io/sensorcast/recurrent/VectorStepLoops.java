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

    /**
     * Whole panels first, a block of four accumulator vectors at a time over {@code panels}, which streams the
     * weights from one contiguous stretch of memory; then whatever is left of the range (less than a panel wide for
     * the kernel's layers, or all of it when the range does not start on a panel boundary) one vector at a time from
     * the rows. The same products are added in the same order either way, so the bits do not depend on the path.
     */
    @Override
    public void addRows(float[] acc, float[] coeff, float[][] rows, float[] panels, int from, int to, int jFrom,
                        int jTo) {
        int j = jFrom;
        if (LayerWeights.PANEL % BLOCK == 0 && jFrom % LayerWeights.PANEL == 0) {
            for (; j + LayerWeights.PANEL <= jTo; j += LayerWeights.PANEL) {
                int panel = j / LayerWeights.PANEL * rows.length * LayerWeights.PANEL;
                for (int block = 0; block < LayerWeights.PANEL; block += BLOCK) {
                    addPanelBlock(acc, coeff, panels, panel + block, from, to, j + block);
                }
            }
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

    /**
     * {@code acc[j, j+BLOCK)} over rows [from, to) of one panel, whose row r starts at {@code at + r*PANEL}. Arrays
     * in and out, no vector, for the reason given at {@link #tanhLanes}.
     */
    private static void addPanelBlock(float[] acc, float[] coeff, float[] panels, int at, int from, int to, int j) {
        FloatVector a0 = FloatVector.fromArray(SPECIES, acc, j);
        FloatVector a1 = FloatVector.fromArray(SPECIES, acc, j + LANES);
        FloatVector a2 = FloatVector.fromArray(SPECIES, acc, j + 2 * LANES);
        FloatVector a3 = FloatVector.fromArray(SPECIES, acc, j + 3 * LANES);
        for (int r = from, o = at + from * LayerWeights.PANEL; r < to; r++, o += LayerWeights.PANEL) {
            float c = coeff[r];
            a0 = a0.add(FloatVector.fromArray(SPECIES, panels, o).mul(c));
            a1 = a1.add(FloatVector.fromArray(SPECIES, panels, o + LANES).mul(c));
            a2 = a2.add(FloatVector.fromArray(SPECIES, panels, o + 2 * LANES).mul(c));
            a3 = a3.add(FloatVector.fromArray(SPECIES, panels, o + 3 * LANES).mul(c));
        }
        a0.intoArray(acc, j);
        a1.intoArray(acc, j + LANES);
        a2.intoArray(acc, j + 2 * LANES);
        a3.intoArray(acc, j + 3 * LANES);
    }

    /**
     * Through memory: {@code s*z} into z, tanh of it in place, then {@code (1-s) + s*t}; storing a float changes no bit,
     * and every step stays small enough for C2 to inline (see {@link #tanhLanes}).
     */
    @Override
    public void scaledTanh(float[] z, float[] s) {
        int n = s.length;
        int j = 0;
        for (; j + LANES <= n; j += LANES) {
            FloatVector sj = FloatVector.fromArray(SPECIES, s, j);
            FloatVector.fromArray(SPECIES, z, j).mul(sj).intoArray(z, j);
            tanhLanes(z, j, z, j);
            FloatVector.broadcast(SPECIES, 1f).sub(sj).add(sj.mul(FloatVector.fromArray(SPECIES, z, j))).intoArray(z, j);
        }
        for (; j < n; j++) {
            float sj = s[j];
            z[j] = (1f - sj) + sj * FastMath.tanh(sj * z[j]);
        }
    }

    /**
     * As the scalar loops, but reading the gates where they lie in z instead of copying them out first (C2's
     * auto-vectorisation needs same-index loops; the Vector API does not). Each loop stays small on purpose: with
     * the activations or tanh(c) fused into the cell loop, C2 stopped inlining (its node count limit) and boxed every
     * vector, 0.8-3.4 KB per step.
     */
    @Override
    public void lstmCell(float[] z, float[] scale, int hs, float[] f, float[] o, float[] in, float[] c, float[] tc,
                         float[] h) {
        scaledTanh(z, scale);
        int j = 0;
        for (; j + LANES <= hs; j += LANES) {
            FloatVector forget = FloatVector.fromArray(SPECIES, z, hs + j);
            FloatVector input = FloatVector.fromArray(SPECIES, z, 3 * hs + j);
            forget.mul(FloatVector.fromArray(SPECIES, c, j)).add(input.mul(FloatVector.fromArray(SPECIES, z, j)))
                    .intoArray(c, j);
        }
        for (; j < hs; j++) {
            c[j] = z[hs + j] * c[j] + z[3 * hs + j] * z[j];
        }
        tanh(c, tc, hs);
        j = 0;
        for (; j + LANES <= hs; j += LANES) {
            FloatVector.fromArray(SPECIES, z, 2 * hs + j).mul(FloatVector.fromArray(SPECIES, tc, j)).intoArray(h, j);
        }
        for (; j < hs; j++) {
            h[j] = z[2 * hs + j] * tc[j];
        }
    }

    @Override
    public void tanh(float[] in, float[] out, int n) {
        int j = 0;
        for (; j + LANES <= n; j += LANES) {
            tanhLanes(in, j, out, j);
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
            out[j] = finish(a.lane(0), a.lane(1), a.lane(2), a.lane(3), h, c0, quads, bias[j]);
            out[j + 1] = finish(b.lane(0), b.lane(1), b.lane(2), b.lane(3), h, c1, quads, bias[j + 1]);
        }
        if (j < n) {
            float[] c0 = columns[j];
            FloatVector a = FloatVector.zero(QUAD);
            for (int k = 0; k < quads; k += 4) {
                a = a.add(FloatVector.fromArray(QUAD, h, k).mul(FloatVector.fromArray(QUAD, c0, k)));
            }
            out[j] = finish(a.lane(0), a.lane(1), a.lane(2), a.lane(3), h, c0, quads, bias[j]);
        }
    }

    /**
     * The bias plus the four partial sums, the units past the last full quad added to the first, as the scalar. It
     * takes the lanes, not the vector, for the reason given at {@link #tanhLanes}.
     */
    private static float finish(float s0, float s1, float s2, float s3, float[] h, float[] column, int quads,
                                float bias) {
        float first = s0;
        for (int k = quads; k < h.length; k++) {
            first += h[k] * column[k];
        }
        return bias + ((first + s1) + (s2 + s3));
    }

    /**
     * {@code out[o, o+LANES) = tanh(in[i, i+LANES))}, {@link FastMath#tanh} lane by lane, the same operations in the same
     * order. Arrays in and out, no vector: a helper that takes or returns a vector must be inlined, or C2 boxes the
     * vector on every call, and whether C2 inlines a helper this size depends on the profile (a scratch run went from
     * 0 B to 3 KB per step after other widths had run first).
     */
    private static void tanhLanes(float[] in, int i, float[] out, int o) {
        FloatVector v = FloatVector.fromArray(SPECIES, in, i).min(CLAMP).max(-CLAMP);
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
        p.div(q).intoArray(out, o);
    }

    @Override
    public String name() {
        return "vector (" + LANES + " float lanes)";
    }
}
