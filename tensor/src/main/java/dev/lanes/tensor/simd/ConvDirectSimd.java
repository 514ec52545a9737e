package dev.lanes.tensor.simd;

import dev.lanes.tensor.conv.ConvDirectKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution, SIMD: 4 output channels x 2 vectors along the output row of
 * accumulators (8 registers), per tap two input loads and four weight broadcasts feeding
 * eight FMAs. Each output is one chain of FMAs in (ci, ky, kx) order, as in the scalar twin,
 * so both give the same bits. Row tails are stored under a mask; the loads may read up to
 * {@link #rowSlack} zero floats past a padded row.
 */
public final class ConvDirectSimd implements ConvDirectKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    public ConvDirectSimd() {
    }

    @Override
    public int rowSlack() {
        return 2 * L;
    }

    @Override
    public void forward(float[] xp, int xpOff, int wp, int plane, int cin, int kh, int kw,
                        float[] w, int wOff, int cos, float[] y, int yOff, int oh, int ow) {
        int ks = cin * kh * kw;
        // missing channels of a short block repeat the last one and are not stored
        int w1 = wOff + Math.min(1, cos - 1) * ks, w2 = wOff + Math.min(2, cos - 1) * ks;
        int w3 = wOff + Math.min(3, cos - 1) * ks;
        int outPlane = oh * ow;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox += 2 * L) {
                FloatVector a00 = FloatVector.zero(S), a01 = a00, a10 = a00, a11 = a00;
                FloatVector a20 = a00, a21 = a00, a30 = a00, a31 = a00;
                for (int ci = 0; ci < cin; ci++) {
                    for (int ky = 0; ky < kh; ky++) {
                        int r = xpOff + ci * plane + (oy + ky) * wp + ox;
                        int t = (ci * kh + ky) * kw;
                        for (int kx = 0; kx < kw; kx++) {
                            FloatVector v0 = FloatVector.fromArray(S, xp, r + kx);
                            FloatVector v1 = FloatVector.fromArray(S, xp, r + kx + L);
                            FloatVector b = FloatVector.broadcast(S, w[wOff + t + kx]);
                            a00 = v0.fma(b, a00);
                            a01 = v1.fma(b, a01);
                            b = FloatVector.broadcast(S, w[w1 + t + kx]);
                            a10 = v0.fma(b, a10);
                            a11 = v1.fma(b, a11);
                            b = FloatVector.broadcast(S, w[w2 + t + kx]);
                            a20 = v0.fma(b, a20);
                            a21 = v1.fma(b, a21);
                            b = FloatVector.broadcast(S, w[w3 + t + kx]);
                            a30 = v0.fma(b, a30);
                            a31 = v1.fma(b, a31);
                        }
                    }
                }
                int o = yOff + oy * ow + ox;
                store(a00, a01, y, o, ow - ox);
                if (cos > 1) {
                    store(a10, a11, y, o + outPlane, ow - ox);
                }
                if (cos > 2) {
                    store(a20, a21, y, o + 2 * outPlane, ow - ox);
                }
                if (cos > 3) {
                    store(a30, a31, y, o + 3 * outPlane, ow - ox);
                }
            }
        }
    }

    /** Stores the first {@code left} lanes of the two vectors (all of them when {@code left >= 2L}). */
    private static void store(FloatVector v0, FloatVector v1, float[] y, int o, int left) {
        if (left >= 2 * L) {
            v0.intoArray(y, o);
            v1.intoArray(y, o + L);
        } else if (left > L) {
            v0.intoArray(y, o);
            v1.intoArray(y, o + L, VectorMask.fromLong(S, (1L << (left - L)) - 1));
        } else {
            v0.intoArray(y, o, VectorMask.fromLong(S, left == 64 ? -1L : (1L << left) - 1));
        }
    }
}
