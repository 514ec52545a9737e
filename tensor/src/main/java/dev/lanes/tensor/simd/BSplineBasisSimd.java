package dev.lanes.tensor.simd;

import dev.lanes.tensor.BSplineBasisKernel;
import dev.lanes.tensor.BSplineBasisScalar;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@link BSplineBasisScalar}, loaded by name through {@code Vectorization.load}.
 * Lanes are consecutive features of one row: their inputs and (with the transposed knot
 * layout) their knots are contiguous, so every load is a plain vector load. The recursion runs
 * in a small work array of vectors, with the scalar twin's operations in its order (subtract,
 * divide, multiply, add; a zero-width knot span gives a zero term), so results match bit for
 * bit. The basis is stored transposed (lane {@code l} of level entry {@code j} goes to
 * {@code out[(f + l) * nb + j]}); features after the last full vector run the scalar code.
 */
public final class BSplineBasisSimd implements BSplineBasisKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff, int m, int order,
                     float[] out, int outOff, float[] dOut, int dOff) {
        int nb = m - 1 - order;
        float[] work = new float[(m - 1) * L];
        float[] dWork = dOut == null ? null : new float[nb * L];
        float[] tail = new float[m - 1];
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f), kf = FloatVector.broadcast(S, order);
        int bound = S.loopBound(features);
        for (int r = 0; r < rows; r++) {
            int xr = xOff + r * features, or = outOff + r * features * nb, dr = dOff + r * features * nb;
            int f = 0;
            for (; f < bound; f += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xr + f);
                for (int j = 0; j < m - 1; j++) {
                    FloatVector lo = knot(knotsT, knotsOff, features, j, f), hi = knot(knotsT, knotsOff, features, j + 1, f);
                    VectorMask<Float> in = xv.compare(VectorOperators.GE, lo).and(xv.compare(VectorOperators.LT, hi));
                    zero.blend(one, in).intoArray(work, j * L);
                }
                for (int p = 1; p <= order; p++) {
                    if (p == order && dWork != null) {
                        for (int j = 0; j < nb; j++) {
                            FloatVector a = ratio(FloatVector.fromArray(S, work, j * L),
                                    knot(knotsT, knotsOff, features, j + p, f).sub(knot(knotsT, knotsOff, features, j, f)), zero);
                            FloatVector b = ratio(FloatVector.fromArray(S, work, (j + 1) * L),
                                    knot(knotsT, knotsOff, features, j + p + 1, f)
                                            .sub(knot(knotsT, knotsOff, features, j + 1, f)), zero);
                            kf.mul(a.sub(b)).intoArray(dWork, j * L);
                        }
                    }
                    for (int j = 0; j < m - 1 - p; j++) {
                        FloatVector tj = knot(knotsT, knotsOff, features, j, f);
                        FloatVector tj1 = knot(knotsT, knotsOff, features, j + 1, f);
                        FloatVector tjp = knot(knotsT, knotsOff, features, j + p, f);
                        FloatVector tjp1 = knot(knotsT, knotsOff, features, j + p + 1, f);
                        FloatVector left = ratio(xv.sub(tj), tjp.sub(tj), zero);
                        FloatVector right = ratio(tjp1.sub(xv), tjp1.sub(tj1), zero);
                        FloatVector bj = FloatVector.fromArray(S, work, j * L);
                        FloatVector bj1 = FloatVector.fromArray(S, work, (j + 1) * L);
                        left.mul(bj).add(right.mul(bj1)).intoArray(work, j * L);
                    }
                }
                for (int l = 0; l < L; l++) {
                    int o = or + (f + l) * nb;
                    for (int j = 0; j < nb; j++) {
                        out[o + j] = work[j * L + l];
                    }
                }
                if (dOut != null) {
                    for (int l = 0; l < L; l++) {
                        int o = dr + (f + l) * nb;
                        if (order == 0) {
                            for (int j = 0; j < nb; j++) {
                                dOut[o + j] = 0f;
                            }
                        } else {
                            for (int j = 0; j < nb; j++) {
                                dOut[o + j] = dWork[j * L + l];
                            }
                        }
                    }
                }
            }
            for (; f < features; f++) {
                BSplineBasisScalar.one(x[xr + f], knotsT, knotsOff + f, features, m, order, tail,
                        out, or + f * nb, dOut, dr + f * nb);
            }
        }
    }

    private static FloatVector knot(float[] knotsT, int knotsOff, int features, int j, int f) {
        return FloatVector.fromArray(S, knotsT, knotsOff + j * features + f);
    }

    /** {@code a / d} lane by lane, 0 where {@code d == 0}. */
    private static FloatVector ratio(FloatVector a, FloatVector d, FloatVector zero) {
        VectorMask<Float> z = d.compare(VectorOperators.EQ, 0f);
        return a.div(d.blend(1f, z)).blend(zero, z);
    }
}
