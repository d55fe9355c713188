package io.sensorcast.recurrent;

/**
 * Branch-free float {@code tanh} and logistic sigmoid for the per-event hot path, absolute error below 1e-6.
 *
 * <p>tanh is Eigen's degree-13/degree-6 rational minimax approximation. Only multiplies, adds, one divide
 * and a min/max clamp, so loops over arrays of it auto-vectorise. NaN in gives NaN out (Math.min/max
 * propagate it); ±infinity gives exactly ±1.
 */
public final class FastMath {

    /*
     * Eigen clamps at 7.99881172 when it evaluates the polynomials with fused multiply-add. Java never
     * fuses a*b+c, and with separately rounded steps the approximation only reaches exactly 1 at
     * Eigen's non-FMA clamp, so that is the one used here: it keeps |tanh| <= 1 and tanh(±inf) == ±1.
     */
    static final float CLAMP = 7.90531110763549805f;

    static final float ALPHA_1 = 4.89352455891786e-03f;
    static final float ALPHA_3 = 6.37261928875436e-04f;
    static final float ALPHA_5 = 1.48572235717979e-05f;
    static final float ALPHA_7 = 5.12229709037114e-08f;
    static final float ALPHA_9 = -8.60467152213735e-11f;
    static final float ALPHA_11 = 2.00018790482477e-13f;
    static final float ALPHA_13 = -2.76076847742355e-16f;

    static final float BETA_0 = 4.89352518554385e-03f;
    static final float BETA_2 = 2.26843463243900e-03f;
    static final float BETA_4 = 1.18534705686654e-04f;
    static final float BETA_6 = 1.19825839466702e-06f;

    private FastMath() {
    }

    /** Hyperbolic tangent, absolute error below 1e-6; NaN for NaN. */
    public static float tanh(float x) {
        float v = Math.max(Math.min(x, CLAMP), -CLAMP);
        float v2 = v * v;
        float p = ALPHA_13;
        p = p * v2 + ALPHA_11;
        p = p * v2 + ALPHA_9;
        p = p * v2 + ALPHA_7;
        p = p * v2 + ALPHA_5;
        p = p * v2 + ALPHA_3;
        p = p * v2 + ALPHA_1;
        p = p * v;
        float q = BETA_6;
        q = q * v2 + BETA_4;
        q = q * v2 + BETA_2;
        q = q * v2 + BETA_0;
        return p / q;
    }

    /** Logistic sigmoid 1/(1+e^-x) via 0.5+0.5*tanh(x/2), absolute error below 1e-6; NaN for NaN. */
    public static float sigmoid(float x) {
        return 0.5f + 0.5f * tanh(0.5f * x);
    }

    /** Replaces {@code a[from..to)} with its tanh. */
    public static void tanhInPlace(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = tanh(a[i]);
        }
    }

    /** Replaces {@code a[from..to)} with its sigmoid. */
    public static void sigmoidInPlace(float[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            a[i] = sigmoid(a[i]);
        }
    }
}
