package dev.lanes.tensor.simd;

import dev.lanes.tensor.conv.ConvWeightGradKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Weight-gradient correlation, SIMD: 4 output channels x 3 kernel columns of accumulators
 * (12 registers); per vector of positions, four output-gradient loads and three shifted
 * input loads feed twelve FMAs. Lanes are summed once at the end, in lane order through
 * {@code work} (not {@code reduceLanes}, whose order may differ between the interpreter and
 * compiled code), so the result is the same on every call. Missing channels or columns of a
 * short block repeat the last one and are not stored.
 */
public final class ConvWeightGradSimd implements ConvWeightGradKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    public ConvWeightGradSimd() {
    }

    @Override
    public int lanes() {
        return L;
    }

    @Override
    public void correlate(float[] dyp, int dOff, int dChan, int dSample, int cos, float[] xp, int xOff, int xSample,
                          int samples, int len, int kw, float[] sums, float[] work) {
        int d1 = dOff + Math.min(1, cos - 1) * dChan, d2 = dOff + Math.min(2, cos - 1) * dChan;
        int d3 = dOff + Math.min(3, cos - 1) * dChan;
        for (int k0 = 0; k0 < kw; k0 += 3) {
            int k1 = Math.min(k0 + 1, kw - 1), k2 = Math.min(k0 + 2, kw - 1);
            FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
            FloatVector a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
            for (int s = 0; s < samples; s++) {
                int ds = s * dSample, xs = xOff + s * xSample;
                for (int p = 0; p < len; p += L) {
                    FloatVector x0 = FloatVector.fromArray(S, xp, xs + p + k0);
                    FloatVector x1 = FloatVector.fromArray(S, xp, xs + p + k1);
                    FloatVector x2 = FloatVector.fromArray(S, xp, xs + p + k2);
                    FloatVector g = FloatVector.fromArray(S, dyp, dOff + ds + p);
                    a00 = g.fma(x0, a00);
                    a01 = g.fma(x1, a01);
                    a02 = g.fma(x2, a02);
                    g = FloatVector.fromArray(S, dyp, d1 + ds + p);
                    a10 = g.fma(x0, a10);
                    a11 = g.fma(x1, a11);
                    a12 = g.fma(x2, a12);
                    g = FloatVector.fromArray(S, dyp, d2 + ds + p);
                    a20 = g.fma(x0, a20);
                    a21 = g.fma(x1, a21);
                    a22 = g.fma(x2, a22);
                    g = FloatVector.fromArray(S, dyp, d3 + ds + p);
                    a30 = g.fma(x0, a30);
                    a31 = g.fma(x1, a31);
                    a32 = g.fma(x2, a32);
                }
            }
            int kc = Math.min(3, kw - k0);
            put(a00, a01, a02, kc, sums, k0, work);
            if (cos > 1) {
                put(a10, a11, a12, kc, sums, kw + k0, work);
            }
            if (cos > 2) {
                put(a20, a21, a22, kc, sums, 2 * kw + k0, work);
            }
            if (cos > 3) {
                put(a30, a31, a32, kc, sums, 3 * kw + k0, work);
            }
        }
    }

    /** {@code sums[at + i]} = the lanes of the first {@code kc} vectors, each summed in lane order. */
    private static void put(FloatVector v0, FloatVector v1, FloatVector v2, int kc, float[] sums, int at, float[] work) {
        v0.intoArray(work, 0);
        v1.intoArray(work, L);
        v2.intoArray(work, 2 * L);
        for (int i = 0; i < kc; i++) {
            float sum = 0f;
            for (int l = 0; l < L; l++) {
                sum += work[i * L + l];
            }
            sums[at + i] = sum;
        }
    }
}
