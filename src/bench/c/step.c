/*
 * The C reference for StepBench: one LSTM, GRU or tanh-RNN step plus the linear head for one key, the same
 * float32 arithmetic as io.sensorcast.recurrent.RecurrentKernel (DL4J's row-major W [D,G*H], RW [H,G*H],
 * b [G*H]; LSTM gate blocks candidate | forget | output | input; GRU blocks reset | update | candidate, with
 * the candidate over (r * h) as GruLayer defines it; tanh by the same rational approximation as FastMath,
 * sigmoid(x) = 0.5 + 0.5 tanh(x/2)), written as plain loops for gcc -O3 -march=native.
 *
 *   step [CELL H D ...]     e.g. `step LSTM 64 4 GRU 64 4 RNN 32 1`; no arguments: every StepBench shape
 *
 * Like the Java kernel, it takes every size at run time. Built with -DFIXED_OUTPUTS=5 the head width is a
 * compile-time constant instead, which lets gcc unroll the head and keep its five sums in registers: the
 * fastest plain C, so the strict comparison.
 *
 * Prints one line per shape: the median, 25th and 75th percentile ns per step over REPS repetitions of
 * a fixed number of steps, and a checksum of the final state so the work cannot be optimised away.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <math.h>

#define OUTPUTS 5
#ifndef FIXED_OUTPUTS
#define FIXED_OUTPUTS 0
#endif
#define INPUTS 256
#define REPS 20001
/*
 * Multiply-adds per repetition: about 10 us of work, so that on a shared machine most repetitions run
 * without being preempted and the median is the undisturbed time (JMH's sample mode does the same).
 */
#define MACS_PER_REP 200000L

static const float CLAMP = 7.90531110763549805f;

static inline float fast_tanh(float x) {
    float v = x < CLAMP ? x : CLAMP;
    v = v > -CLAMP ? v : -CLAMP;
    float v2 = v * v;
    float p = -2.76076847742355e-16f;
    p = p * v2 + 2.00018790482477e-13f;
    p = p * v2 + -8.60467152213735e-11f;
    p = p * v2 + 5.12229709037114e-08f;
    p = p * v2 + 1.48572235717979e-05f;
    p = p * v2 + 6.37261928875436e-04f;
    p = p * v2 + 4.89352455891786e-03f;
    p = p * v;
    float q = 1.19825839466702e-06f;
    q = q * v2 + 1.18534705686654e-04f;
    q = q * v2 + 2.26843463243900e-03f;
    q = q * v2 + 4.89352518554385e-03f;
    return p / q;
}

static inline float fast_sigmoid(float x) {
    return 0.5f + 0.5f * fast_tanh(0.5f * x);
}

enum cell { LSTM, GRU, RNN };

typedef struct {
    enum cell cell;
    int h, d, width, outputs;
    float *w, *rw, *b, *head_w, *head_b;
    float *z, *hs, *cs, *rh, *out;
} net;

static float gaussian(void) {
    /* Box-Muller; any spread of values will do, the figures must not depend on them */
    double u = (rand() + 1.0) / (RAND_MAX + 2.0), v = (rand() + 1.0) / (RAND_MAX + 2.0);
    static const double TWO_PI = 6.283185307179586;
    return (float) (sqrt(-2.0 * log(u)) * cos(TWO_PI * v));
}

static float *randoms(long n, float scale) {
    float *a = aligned_alloc(64, ((n * sizeof(float) + 63) / 64) * 64);
    for (long i = 0; i < n; i++) a[i] = gaussian() * scale;
    return a;
}

/* reset | update from x and h, then the candidate from x and r * h: two passes, like the Java kernel's */
static void gru_step(net *restrict n, const float *restrict x) {
    const int width = n->width, hsz = n->h;
    float *restrict z = n->z;
    float *restrict h = n->hs;
    float *restrict rh = n->rh;
    const float *restrict w = n->w;
    const float *restrict rw = n->rw;
    memcpy(z, n->b, width * sizeof(float));
    for (int i = 0; i < n->d; i++) {
        float xi = x[i];
        for (int j = 0; j < width; j++) z[j] += xi * w[i * width + j];
    }
    for (int k = 0; k < hsz; k++) {
        float hk = h[k];
        for (int j = 0; j < 2 * hsz; j++) z[j] += hk * rw[k * width + j];
    }
    for (int j = 0; j < 2 * hsz; j++) z[j] = fast_sigmoid(z[j]);
    for (int k = 0; k < hsz; k++) rh[k] = z[k] * h[k];
    for (int k = 0; k < hsz; k++) {
        float rk = rh[k];
        for (int j = 2 * hsz; j < width; j++) z[j] += rk * rw[k * width + j];
    }
    for (int j = 0; j < hsz; j++) h[j] = h[j] + z[hsz + j] * (fast_tanh(z[2 * hsz + j]) - h[j]);
}

static void step(net *restrict n, const float *restrict x) {
    if (n->cell == GRU) {
        gru_step(n, x);
        return;
    }
    const int width = n->width, hsz = n->h;
    float *restrict z = n->z;
    float *restrict h = n->hs;
    float *restrict c = n->cs;
    const float *restrict w = n->w;
    const float *restrict rw = n->rw;
    memcpy(z, n->b, width * sizeof(float));
    for (int i = 0; i < n->d; i++) {
        float xi = x[i];
        for (int j = 0; j < width; j++) z[j] += xi * w[i * width + j];
    }
    for (int k = 0; k < hsz; k++) {
        float hk = h[k];
        for (int j = 0; j < width; j++) z[j] += hk * rw[k * width + j];
    }
    if (n->cell == LSTM) {
        for (int j = 0; j < hsz; j++) z[j] = fast_tanh(z[j]);
        for (int j = hsz; j < width; j++) z[j] = fast_sigmoid(z[j]);
        for (int j = 0; j < hsz; j++) {
            float cj = z[hsz + j] * c[j] + z[3 * hsz + j] * z[j];
            c[j] = cj;
            h[j] = z[2 * hsz + j] * fast_tanh(cj);
        }
    } else {
        for (int j = 0; j < hsz; j++) h[j] = fast_tanh(z[j]);
    }
}

static void predict(net *restrict n) {
    float *restrict out = n->out;
    const float *restrict hw = n->head_w;
    const float *restrict h = n->hs;
    const int outputs = FIXED_OUTPUTS > 0 ? FIXED_OUTPUTS : n->outputs;
    memcpy(out, n->head_b, outputs * sizeof(float));
    for (int k = 0; k < n->h; k++) {
        float hk = h[k];
        for (int j = 0; j < outputs; j++) out[j] += hk * hw[k * outputs + j];
    }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

static double now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e9 + t.tv_nsec;
}

/* outputs is a run-time value, as in the Java kernel, so gcc cannot unroll the head for one width */
static void run(const char *cell, int hsz, int d, int outputs) {
    net n = {0};
    if (strcmp(cell, "LSTM") == 0) {
        n.cell = LSTM;
    } else if (strcmp(cell, "GRU") == 0) {
        n.cell = GRU;
    } else if (strcmp(cell, "RNN") == 0) {
        n.cell = RNN;
    } else {
        fprintf(stderr, "cell must be LSTM, GRU or RNN, got %s\n", cell);
        exit(2);
    }
    n.h = hsz;
    n.d = d;
    n.width = (n.cell == LSTM ? 4 : n.cell == GRU ? 3 : 1) * hsz;
    n.outputs = outputs;
    /* Xavier-like scale keeps the state away from saturation, as a trained network's is */
    float scale = 1.0f / (float) (hsz + d);
    scale = (float) sqrt(scale);
    n.w = randoms((long) d * n.width, scale);
    n.rw = randoms((long) hsz * n.width, scale);
    n.b = randoms(n.width, 0.5f);
    n.head_w = randoms((long) hsz * outputs, scale);
    n.head_b = randoms(outputs, 0.5f);
    n.z = randoms(n.width, 0);
    n.hs = randoms(hsz, 0);
    n.cs = randoms(hsz, 0);
    n.rh = randoms(hsz, 0);
    n.out = randoms(outputs, 0);
    float *xs = randoms((long) INPUTS * d, 1.0f);

    long macs = (long) n.width * (hsz + d);
    long steps = MACS_PER_REP / macs;
    if (steps < 1) steps = 1;
    static double per_step[REPS];
    float sink = 0;
    long t = 0;
    for (int warm = 0; warm < 2000; warm++) {
        for (long s = 0; s < steps; s++, t++) {
            step(&n, xs + (t & (INPUTS - 1)) * d);
            predict(&n);
            sink += n.out[0];
        }
    }
    for (int r = 0; r < REPS; r++) {
        double start = now_ns();
        for (long s = 0; s < steps; s++, t++) {
            step(&n, xs + (t & (INPUTS - 1)) * d);
            predict(&n);
            sink += n.out[0];
        }
        per_step[r] = (now_ns() - start) / steps;
    }
    qsort(per_step, REPS, sizeof(double), cmp_double);
    printf("C%-5s %-4s H=%-3d D=%d  median %9.1f ns/step  p25 %9.1f  p75 %9.1f  (%d reps x %ld steps, checksum %g)\n",
           FIXED_OUTPUTS > 0 ? "fixed" : "", cell, hsz, d, per_step[REPS / 2], per_step[REPS / 4], per_step[3 * REPS / 4], REPS, steps,
           (double) sink);
    free(n.w); free(n.rw); free(n.b); free(n.head_w); free(n.head_b);
    free(n.z); free(n.hs); free(n.cs); free(n.rh); free(n.out); free(xs);
}

int main(int argc, char **argv) {
    srand(42);
    if (argc == 1) {
        static const char *cells[] = {"LSTM", "GRU", "RNN"};
        static const int hs[] = {32, 64, 128}, ds[] = {1, 4};
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 2; j++) run(cells[c], hs[i], ds[j], OUTPUTS);
        return 0;
    }
    if ((argc - 1) % 3 != 0) {
        fprintf(stderr, "usage: %s [CELL H D ...]   (CELL: LSTM, GRU or RNN)\n", argv[0]);
        return 2;
    }
    for (int a = 1; a < argc; a += 3) {
        int hsz = atoi(argv[a + 1]), d = atoi(argv[a + 2]);
        if (hsz < 1 || d < 1) {
            fprintf(stderr, "H and D must be positive: %s %s\n", argv[a + 1], argv[a + 2]);
            return 2;
        }
        run(argv[a], hsz, d, OUTPUTS);
    }
    return 0;
}
