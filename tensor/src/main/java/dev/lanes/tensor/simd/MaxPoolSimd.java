package dev.lanes.tensor.simd;

import dev.lanes.tensor.conv.MaxPoolKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The running maximum of max pooling, SIMD: {@code L} lanes compare at once and the winners are
 * blended in under a mask, values and indices alike, so no lane branches on the data (the
 * scalar loop mispredicted about once per window). The mask is the reference's rule: {@code v >
 * best}, or {@code v} is NaN and {@code best} is not. The last chunk runs under a mask made by
 * comparing lane numbers (as {@link Pool2x2Simd} does, which the JIT keeps in a register), so
 * nothing past {@code n} is read or written. One short loop with one-vector operations only: it
 * stays under the inlining limits, and its vectors stay in registers (no heap allocation).
 */
public final class MaxPoolSimd implements MaxPoolKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Lane j holds j. */
    private static final FloatVector IOTA = FloatVector.zero(S).addIndex(1);

    public MaxPoolSimd() {
    }

    @Override
    public void maxInto(float[] v, float[] vIdx, int vo, float[] best, float[] bestIdx, int bo, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> m = IOTA.compare(VectorOperators.LT, (float) (n - i));
            FloatVector x = FloatVector.fromArray(S, v, vo + i, m);
            FloatVector b = FloatVector.fromArray(S, best, bo + i, m);
            // x > b, or x is NaN and b is not (x != x is NaN's test)
            VectorMask<Float> win = x.compare(VectorOperators.GT, b)
                    .or(x.compare(VectorOperators.NE, x).andNot(b.compare(VectorOperators.NE, b)));
            b.blend(x, win).intoArray(best, bo + i, m);
            FloatVector bi = FloatVector.fromArray(S, bestIdx, bo + i, m);
            bi.blend(FloatVector.fromArray(S, vIdx, vo + i, m), win).intoArray(bestIdx, bo + i, m);
        }
    }
}
