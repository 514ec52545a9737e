package dev.lanes.tensor.simd;

import dev.lanes.tensor.conv.Pool2x2Kernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2x2 stride-2 average pooling, SIMD: a chunk of {@code L} windows reads two vectors from each of its
 * two input rows and splits them into even and odd columns with two-vector shuffles; the four
 * column vectors are then combined lane by lane exactly as the scalar twin combines four
 * numbers (same order, same operations, so the same bits). The backward pass spreads a vector
 * of gradients over pairs of lanes with a one-vector shuffle. Every chunk runs under masks
 * made from its length ({@code VectorMask.fromLong}, which the JIT turns into a constant-time
 * mask; a mask read from a table would not be), so nothing outside the rows is read or written.
 */
public final class Pool2x2Simd implements Pool2x2Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lane j takes lane 2j of the pair (a, b); lanes of b count from L. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, j -> 2 * j);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, j -> 2 * j + 1);
    /** Lane j takes lane j/2 (the low half spread over pairs), or L/2 + j/2 (the high half). */
    private static final VectorShuffle<Float> SPREAD_LO = VectorShuffle.fromOp(S, j -> j / 2);
    private static final VectorShuffle<Float> SPREAD_HI = VectorShuffle.fromOp(S, j -> L / 2 + j / 2);

    public Pool2x2Simd() {
    }

    @Override
    public void avgRow(float[] x, int i, int w, int ow, float[] y, int o) {
        for (int k = 0; k < ow; k += L, i += 2 * L) {
            int n = Math.min(L, ow - k);
            VectorMask<Float> ma = first(S, Math.min(L, 2 * n)), mb = first(S, Math.max(0, 2 * n - L));
            FloatVector a0 = FloatVector.fromArray(S, x, i, ma), b0 = FloatVector.fromArray(S, x, i + L, mb);
            FloatVector a1 = FloatVector.fromArray(S, x, i + w, ma), b1 = FloatVector.fromArray(S, x, i + w + L, mb);
            FloatVector sum = FloatVector.zero(S).add(a0.rearrange(EVEN, b0)).add(a0.rearrange(ODD, b0))
                    .add(a1.rearrange(EVEN, b1)).add(a1.rearrange(ODD, b1));
            // x * 0.25 and x / 4 round the same real number: the scalar twin's bits
            sum.mul(0.25f).intoArray(y, o + k, first(S, n));
        }
    }

    @Override
    public void avgBackwardRow(float[] dy, int o, int ow, float[] dx, int i, int w) {
        for (int k = 0; k < ow; k += L, i += 2 * L) {
            int n = Math.min(L, ow - k);
            VectorMask<Float> ma = first(S, Math.min(L, 2 * n)), mb = first(S, Math.max(0, 2 * n - L));
            FloatVector g = FloatVector.fromArray(S, dy, o + k, first(S, n)).mul(0.25f); // = dy / 4
            FloatVector lo = g.rearrange(SPREAD_LO), hi = g.rearrange(SPREAD_HI);
            FloatVector.fromArray(S, dx, i, ma).add(lo).intoArray(dx, i, ma);
            FloatVector.fromArray(S, dx, i + L, mb).add(hi).intoArray(dx, i + L, mb);
            FloatVector.fromArray(S, dx, i + w, ma).add(lo).intoArray(dx, i + w, ma);
            FloatVector.fromArray(S, dx, i + w + L, mb).add(hi).intoArray(dx, i + w + L, mb);
        }
    }

    /** Lanes {@code [0, k)} set ({@code k <= L <= 16}). */
    private static <E> VectorMask<E> first(VectorSpecies<E> s, int k) {
        return VectorMask.fromLong(s, (1L << k) - 1);
    }
}
