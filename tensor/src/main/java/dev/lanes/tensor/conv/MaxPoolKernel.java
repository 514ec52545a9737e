package dev.lanes.tensor.conv;

/**
 * The one step of {@link MaxPoolRows}' two passes: a running maximum with its argmax, lane by
 * lane. A scalar twin ({@link MaxPoolScalar}) and a SIMD implementation
 * ({@code dev.lanes.tensor.simd.MaxPoolSimd}) that select with masks instead of branches; both
 * follow {@link PoolReference}'s rule exactly (see {@link #beats}), so they give the same bits.
 */
public interface MaxPoolKernel {
    /**
     * For {@code i} in {@code [0, n)}: when {@code v[vo + i]} beats {@code best[bo + i]}, set
     * {@code best[bo + i] = v[vo + i]} and {@code bestIdx[bo + i] = vIdx[vo + i]}.
     */
    void maxInto(float[] v, float[] vIdx, int vo, float[] best, float[] bestIdx, int bo, int n);

    /** The reference's rule: a larger value wins (ties keep {@code best}), a NaN beats a number, a NaN keeps its place. */
    static boolean beats(float v, float best) {
        return v > best || Float.isNaN(v) && !Float.isNaN(best);
    }
}
