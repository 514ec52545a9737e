package dev.lanes.tensor.simd;

import dev.lanes.tensor.conv.Pool2x2Kernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * 2x2 stride-2 average pooling, SIMD: a chunk of {@code L} windows reads two vectors from each of its
 * two input rows and splits them into even and odd columns with two-vector shuffles; the four
 * column vectors are then combined lane by lane exactly as the scalar twin combines four
 * numbers (same order, same operations, so the same bits). The backward pass spreads a vector
 * of gradients over pairs of lanes with a one-vector shuffle. Every chunk runs under masks
 * made from its length by comparing lane numbers (masks from {@code VectorMask.fromLong} or a
 * table were boxed by the JIT in some contexts: heap allocation in every step), so nothing
 * outside the rows is read or written.
 */
public final class Pool2x2Simd implements Pool2x2Kernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Lane j of {@code EVEN.selectFrom(a, b)} is lane 2j of the pair (a, b) (lanes of b count from
     * L). Index vectors with {@code selectFrom}, not shuffles with {@code rearrange}: the
     * two-vector rearrange was boxed by the JIT in the pooling loops (heap allocation per row).
     */
    private static final FloatVector EVEN = FloatVector.zero(S).addIndex(2);
    private static final FloatVector ODD = EVEN.add(1f);
    /** Lane j takes lane j/2 (the low half spread over pairs), or L/2 + j/2 (the high half). */
    private static final VectorShuffle<Float> SPREAD_LO = VectorShuffle.fromOp(S, j -> j / 2);
    private static final VectorShuffle<Float> SPREAD_HI = VectorShuffle.fromOp(S, j -> L / 2 + j / 2);
    /** Lane j holds j. */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    public Pool2x2Simd() {
    }

    @Override
    public void avgRow(float[] x, int i, int w, int ow, float[] y, int o) {
        for (int k = 0; k < ow; k += L, i += 2 * L) {
            int n = Math.min(L, ow - k);
            VectorMask<Float> ma = first(Math.min(L, 2 * n)), mb = first(Math.max(0, 2 * n - L));
            FloatVector a0 = FloatVector.fromArray(S, x, i, ma), b0 = FloatVector.fromArray(S, x, i + L, mb);
            FloatVector a1 = FloatVector.fromArray(S, x, i + w, ma), b1 = FloatVector.fromArray(S, x, i + w + L, mb);
            FloatVector sum = FloatVector.zero(S).add(EVEN.selectFrom(a0, b0)).add(ODD.selectFrom(a0, b0))
                    .add(EVEN.selectFrom(a1, b1)).add(ODD.selectFrom(a1, b1));
            // x * 0.25 and x / 4 round the same real number: the scalar twin's bits
            sum.mul(0.25f).intoArray(y, o + k, first(n));
        }
    }

    @Override
    public void avgBackwardRow(float[] dy, int o, int ow, float[] dx, int i, int w) {
        for (int k = 0; k < ow; k += L, i += 2 * L) {
            int n = Math.min(L, ow - k);
            VectorMask<Float> ma = first(Math.min(L, 2 * n)), mb = first(Math.max(0, 2 * n - L));
            FloatVector g = FloatVector.fromArray(S, dy, o + k, first(n)).mul(0.25f); // = dy / 4
            FloatVector lo = g.rearrange(SPREAD_LO), hi = g.rearrange(SPREAD_HI);
            FloatVector.fromArray(S, dx, i, ma).add(lo).intoArray(dx, i, ma);
            FloatVector.fromArray(S, dx, i + L, mb).add(hi).intoArray(dx, i + L, mb);
            FloatVector.fromArray(S, dx, i + w, ma).add(lo).intoArray(dx, i + w, ma);
            FloatVector.fromArray(S, dx, i + w + L, mb).add(hi).intoArray(dx, i + w + L, mb);
        }
    }

    /** Lanes {@code [0, k)} set: a compare, which the JIT always keeps in a mask register. */
    private static VectorMask<Float> first(int k) {
        return IOTA.compare(VectorOperators.LT, (float) k);
    }
}
