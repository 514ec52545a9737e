package dev.lanes.tensor.conv;

/** The scalar twin of the SIMD running maximum: one element at a time, branching on the reference's rule. */
public final class MaxPoolScalar implements MaxPoolKernel {
    @Override
    public void maxInto(float[] v, float[] vIdx, int vo, float[] best, float[] bestIdx, int bo, int n) {
        for (int i = 0; i < n; i++) {
            if (MaxPoolKernel.beats(v[vo + i], best[bo + i])) {
                best[bo + i] = v[vo + i];
                bestIdx[bo + i] = vIdx[vo + i];
            }
        }
    }
}
