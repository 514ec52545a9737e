package dev.lanes.tensor.simd;

import dev.lanes.tensor.BSplineBasisKernel;
import dev.lanes.tensor.BSplineBasisScalar;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@link BSplineBasisScalar}, loaded by name through {@code Vectorization.load}.
 * Lanes are consecutive features of one row: their inputs, knots and span reciprocals (all in
 * feature-minor layouts) are contiguous, so every load is a plain vector load. The recursion
 * runs in a small work array of vectors with the scalar twin's operations in its order
 * (subtract, multiply, add; no fused multiply-add), so results match bit for bit. The basis is
 * stored transposed (lane {@code l} of entry {@code j} goes to {@code out[(f + l) * nb + j]});
 * features after the last full vector run the scalar code.
 */
public final class BSplineBasisSimd implements BSplineBasisKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff, float[] recip,
                     int recipOff, int m, int order, float[] out, int outOff, float[] dOut, int dOff) {
        int nb = m - 1 - order;
        float[] work = new float[(m - 1) * L];
        float[] dWork = new float[nb * L];
        float[] tail = new float[m - 1];
        int bound = S.loopBound(features);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * features, or = outOff + r * features * nb, dr = dOff + r * features * nb;
            int f = 0;
            for (; f < bound; f += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xr + f);
                indicators(xv, knotsT, knotsOff + f, features, m, work);
                for (int p = 1; p <= order; p++) {
                    int level = recipOff + (p - 1) * (m - 1) * features + f;
                    if (p == order && dOut != null) {
                        derivative(knotsT, recip, level, features, nb, order, work, dWork);
                    }
                    level(xv, knotsT, knotsOff + f, recip, level, features, m - 1 - p, p, work);
                }
                store(work, nb, out, or + f * nb);
                if (dOut != null) {
                    if (order == 0) {
                        java.util.Arrays.fill(dOut, dr + f * nb, dr + (f + L) * nb, 0f);
                    } else {
                        store(dWork, nb, dOut, dr + f * nb);
                    }
                }
            }
            for (; f < features; f++) {
                BSplineBasisScalar.one(x[xr + f], knotsT, knotsOff + f, recip, recipOff + f, features, m, order, tail,
                        out, or + f * nb, dOut, dr + f * nb);
            }
        }
    }

    /** Order 0: 1 where {@code t_j <= x < t_{j+1}}. */
    private static void indicators(FloatVector xv, float[] t, int tOff, int stride, int m, float[] work) {
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        FloatVector lo = FloatVector.fromArray(S, t, tOff);
        for (int j = 0; j < m - 1; j++) {
            FloatVector hi = FloatVector.fromArray(S, t, tOff + (j + 1) * stride);
            VectorMask<Float> in = xv.compare(VectorOperators.GE, lo).and(xv.compare(VectorOperators.LT, hi));
            zero.blend(one, in).intoArray(work, j * L);
            lo = hi;
        }
    }

    /** One level of Cox-de Boor in place: entries {@code 0..count-1}. */
    private static void level(FloatVector xv, float[] t, int tOff, float[] recip, int rOff, int stride, int count, int p,
                              float[] work) {
        FloatVector bj = FloatVector.fromArray(S, work, 0);
        FloatVector rj = FloatVector.fromArray(S, recip, rOff);
        for (int j = 0; j < count; j++) {
            FloatVector tj = FloatVector.fromArray(S, t, tOff + j * stride);
            FloatVector tjp1 = FloatVector.fromArray(S, t, tOff + (j + p + 1) * stride);
            FloatVector rj1 = FloatVector.fromArray(S, recip, rOff + (j + 1) * stride);
            FloatVector bj1 = FloatVector.fromArray(S, work, (j + 1) * L);
            FloatVector left = xv.sub(tj).mul(rj);
            FloatVector right = tjp1.sub(xv).mul(rj1);
            left.mul(bj).add(right.mul(bj1)).intoArray(work, j * L);
            bj = bj1;
            rj = rj1;
        }
    }

    /** {@code k (B_j / span_j - B_{j+1} / span_{j+1})} from the level below the last. */
    private static void derivative(float[] t, float[] recip, int rOff, int stride, int nb, int order, float[] work,
                                   float[] dWork) {
        FloatVector kf = FloatVector.broadcast(S, order);
        for (int j = 0; j < nb; j++) {
            FloatVector a = FloatVector.fromArray(S, work, j * L).mul(FloatVector.fromArray(S, recip, rOff + j * stride));
            FloatVector b = FloatVector.fromArray(S, work, (j + 1) * L)
                    .mul(FloatVector.fromArray(S, recip, rOff + (j + 1) * stride));
            kf.mul(a.sub(b)).intoArray(dWork, j * L);
        }
    }

    /** Lane {@code l} of entry {@code j} to {@code dst[dOff + l * nb + j]}. */
    private static void store(float[] work, int nb, float[] dst, int dOff) {
        for (int l = 0; l < L; l++) {
            for (int j = 0; j < nb; j++) {
                dst[dOff + l * nb + j] = work[j * L + l];
            }
        }
    }
}
