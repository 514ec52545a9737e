package dev.lanes.tensor.simd;

import dev.lanes.tensor.BSplineBasisKernel;
import dev.lanes.tensor.BSplineBasisScalar;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@link BSplineBasisScalar}, loaded by name through {@code Vectorization.load}.
 * Two lane layouts, both with the scalar twin's operations in its order (subtract, multiply,
 * add; no fused multiply-add), so results match bit for bit:
 * <ul>
 * <li>Blocks of {@code L} rows, one feature at a time (the main path): the lanes are {@code L}
 *     rows of one feature, so its knots and span reciprocals are scalars broadcast to all lanes and
 *     any feature count runs at full width (a KAN convolution over one channel has only 9
 *     features); the inputs are gathered with stride {@code features}.</li>
 * <li>The rows after the last full block: lanes are consecutive features of one row (feature-minor
 *     layouts make every load a plain vector load); features after the last full vector run the
 *     scalar code.</li>
 * </ul>
 * The recursion runs in a small per-thread work array of vectors (sized once, no allocation per
 * call); the basis is stored transposed (lane {@code l} of entry {@code j} goes to its element's
 * {@code out[... * nb + j]}).
 */
public final class BSplineBasisSimd implements BSplineBasisKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-thread work arrays, grown when a grid needs more knots. */
    private static final class Scratch {
        float[] work = new float[0];
        float[] dWork = new float[0];
        float[] tail = new float[0];
        float[] knots = new float[0];
        float[] recips = new float[0];
        int[] gather = new int[L];
        int gatherStride = -1;

        Scratch fit(int m, int order, int features) {
            if (tail.length < m - 1) {
                work = new float[(m - 1) * L];
                dWork = new float[(m - 1) * L];
                tail = new float[m - 1];
                knots = new float[m];
                recips = new float[Math.max(1, order) * (m - 1)];
            }
            if (gatherStride != features) {
                for (int l = 0; l < L; l++) {
                    gather[l] = l * features;
                }
                gatherStride = features;
            }
            return this;
        }
    }

    @Override
    public void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff, float[] recip,
                     int recipOff, int m, int order, float[] out, int outOff, float[] dOut, int dOff) {
        int nb = m - 1 - order, per = features * nb;
        Scratch sc = SCRATCH.get().fit(m, order, features);
        int blocks = rows / L;
        for (int b = 0; b < blocks; b++) {
            int r0 = b * L;
            for (int f = 0; f < features; f++) {
                rowBlock(x, xOff + r0 * features + f, sc, knotsT, knotsOff + f, recip, recipOff + f, features, m, order,
                        out, outOff + r0 * per + f * nb, dOut, dOff + r0 * per + f * nb, per);
            }
        }
        for (int r = blocks * L; r < rows; r++) {
            featureLanes(x, xOff + r * features, features, knotsT, knotsOff, recip, recipOff, m, order, out,
                    outOff + r * per, dOut, dOff + r * per, sc);
        }
    }

    /**
     * {@code L} rows of one feature: inputs gathered from {@code x[xAt + l * features]}, knot
     * {@code j} broadcast from {@code t[tOff + j * features]}, results to {@code out[oAt + l * per + j]}.
     */
    private static void rowBlock(float[] x, int xAt, Scratch sc, float[] t, int tOff, float[] recip, int rOff,
                                 int features, int m, int order, float[] out, int oAt, float[] dOut, int dAt, int per) {
        int nb = m - 1 - order;
        float[] work = sc.work, knots = sc.knots, rc = sc.recips;
        for (int j = 0; j < m; j++) {
            knots[j] = t[tOff + j * features];
        }
        for (int i = 0; i < order * (m - 1); i++) {
            rc[i] = recip[rOff + i * features];
        }
        FloatVector xv = FloatVector.fromArray(S, x, xAt, sc.gather, 0);
        FloatVector zero = FloatVector.zero(S), one = FloatVector.broadcast(S, 1f);
        VectorMask<Float> geLo = xv.compare(VectorOperators.GE, knots[0]);
        for (int j = 0; j < m - 1; j++) {
            VectorMask<Float> geHi = xv.compare(VectorOperators.GE, knots[j + 1]);
            // t_j <= x < t_{j+1}; "not (x >= t_{j+1})" is "x < t_{j+1}" except for NaN, which is never >= t_j
            zero.blend(one, geLo.andNot(geHi)).intoArray(work, j * L);
            geLo = geHi;
        }
        for (int p = 1; p <= order; p++) {
            int level = (p - 1) * (m - 1);
            if (p == order && dOut != null) {
                FloatVector kf = FloatVector.broadcast(S, order);
                float[] dWork = sc.dWork;
                for (int j = 0; j < nb; j++) {
                    FloatVector a = FloatVector.fromArray(S, work, j * L).mul(rc[level + j]);
                    FloatVector bb = FloatVector.fromArray(S, work, (j + 1) * L).mul(rc[level + j + 1]);
                    kf.mul(a.sub(bb)).intoArray(dWork, j * L);
                }
            }
            FloatVector bj = FloatVector.fromArray(S, work, 0);
            for (int j = 0; j < m - 1 - p; j++) {
                FloatVector bj1 = FloatVector.fromArray(S, work, (j + 1) * L);
                FloatVector left = xv.sub(knots[j]).mul(rc[level + j]);
                FloatVector right = FloatVector.broadcast(S, knots[j + p + 1]).sub(xv).mul(rc[level + j + 1]);
                left.mul(bj).add(right.mul(bj1)).intoArray(work, j * L);
                bj = bj1;
            }
        }
        scatter(work, nb, out, oAt, per);
        if (dOut != null) {
            if (order == 0) {
                for (int l = 0; l < L; l++) {
                    java.util.Arrays.fill(dOut, dAt + l * per, dAt + l * per + nb, 0f);
                }
            } else {
                scatter(sc.dWork, nb, dOut, dAt, per);
            }
        }
    }

    /** Lane {@code l} of entry {@code j} to {@code dst[at + l * per + j]}. */
    private static void scatter(float[] work, int nb, float[] dst, int at, int per) {
        for (int l = 0; l < L; l++) {
            int o = at + l * per;
            for (int j = 0; j < nb; j++) {
                dst[o + j] = work[j * L + l];
            }
        }
    }

    /** One row with consecutive features in the lanes (the rows after the last full block). */
    private static void featureLanes(float[] x, int xr, int features, float[] knotsT, int knotsOff, float[] recip,
                                     int recipOff, int m, int order, float[] out, int or, float[] dOut, int dr,
                                     Scratch sc) {
        int nb = m - 1 - order;
        float[] work = sc.work, dWork = sc.dWork;
        int bound = S.loopBound(features);
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
            BSplineBasisScalar.one(x[xr + f], knotsT, knotsOff + f, recip, recipOff + f, features, m, order, sc.tail,
                    out, or + f * nb, dOut, dr + f * nb);
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
