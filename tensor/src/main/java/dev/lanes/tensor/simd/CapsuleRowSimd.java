package dev.lanes.tensor.simd;

import dev.lanes.tensor.CapsuleRowKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@code CapsuleRowScalar}: each row runs along the lanes with a scalar tail.
 * {@link #scaledRowsAdd} uses the scalar code's operations (multiply, then add) and matches it
 * bit for bit; {@link #rowDots} keeps one partial sum per lane and adds the lanes as a fixed tree
 * (lane {@code i} plus lane {@code i ^ h} for {@code h = L/2, ..., 1}: exact lane operations, so the
 * same bits whether interpreted or compiled; never {@code reduceLanes}, whose order is unspecified),
 * then the tail. The tree matters: rows of 16 numbers are one vector each, and adding the lanes one
 * by one cost several times the products.
 */
public final class CapsuleRowSimd implements CapsuleRowKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** {@code SWAP[k]} pairs lane {@code i} with lane {@code i ^ (L >> (k + 1))}. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] SWAP = new VectorShuffle[Integer.numberOfTrailingZeros(L)];

    static {
        for (int k = 0; k < SWAP.length; k++) {
            int h = L >> (k + 1);
            SWAP[k] = VectorShuffle.fromOp(S, i -> i ^ h);
        }
    }

    @Override
    public void scaledRowsAdd(float[] alpha, int aOff, float[] x, int xOff, float[] y, int yOff, int rows, int n) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            float a = alpha[aOff + r];
            int xr = xOff + r * n, yr = yOff + r * n;
            int k = 0;
            for (; k < bound; k += L) {
                FloatVector ax = FloatVector.fromArray(S, x, xr + k).mul(a);
                FloatVector.fromArray(S, y, yr + k).add(ax).intoArray(y, yr + k);
            }
            for (; k < n; k++) {
                y[yr + k] = y[yr + k] + a * x[xr + k];
            }
        }
    }

    @Override
    public void rowDots(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int rows, int n) {
        int bound = S.loopBound(n);
        for (int r = 0; r < rows; r++) {
            int ar = aOff + r * n, br = bOff + r * n;
            float s = 0f;
            int k = 0;
            if (bound > 0) {
                FloatVector acc = FloatVector.fromArray(S, a, ar).mul(FloatVector.fromArray(S, b, br));
                for (k = L; k < bound; k += L) {
                    acc = acc.add(FloatVector.fromArray(S, a, ar + k).mul(FloatVector.fromArray(S, b, br + k)));
                }
                for (VectorShuffle<Float> swap : SWAP) {
                    acc = acc.add(acc.rearrange(swap));
                }
                s = acc.lane(0);
            }
            for (; k < n; k++) {
                s += a[ar + k] * b[br + k];
            }
            out[outOff + r] = s;
        }
    }
}
