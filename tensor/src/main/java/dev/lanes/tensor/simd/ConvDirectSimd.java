package dev.lanes.tensor.simd;

import dev.lanes.tensor.conv.ConvDirectKernel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Direct convolution, SIMD: 4 output channels x 3 vectors of flat output positions of
 * accumulators (12 registers), per tap three input loads and four weight broadcasts feeding
 * twelve FMAs (4 x 2 measured slower: more loads per FMA and too few independent chains). Each output is one chain of FMAs in (ci, ky, kx) order, as in the scalar twin,
 * so both give the same bits. Flat positions need no row tails: every store is a full vector.
 */
public final class ConvDirectSimd implements ConvDirectKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    public ConvDirectSimd() {
    }

    @Override
    public int lanes() {
        return 3 * L;
    }

    @Override
    public void forward(float[] xp, int xpOff, int wp, int plane, int cin, int kh, int kw,
                        float[] w, int wOff, int cos, float[] out, int outOff, int len) {
        int ks = cin * kh * kw;
        // missing channels of a short block repeat the last one and are not stored
        int w1 = wOff + Math.min(1, cos - 1) * ks, w2 = wOff + Math.min(2, cos - 1) * ks;
        int w3 = wOff + Math.min(3, cos - 1) * ks;
        for (int p = 0; p < len; p += 3 * L) {
            FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a10 = a00, a11 = a00, a12 = a00;
            FloatVector a20 = a00, a21 = a00, a22 = a00, a30 = a00, a31 = a00, a32 = a00;
            for (int ci = 0; ci < cin; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    int r = xpOff + ci * plane + ky * wp + p;
                    int t = (ci * kh + ky) * kw;
                    for (int kx = 0; kx < kw; kx++) {
                        FloatVector v0 = FloatVector.fromArray(S, xp, r + kx);
                        FloatVector v1 = FloatVector.fromArray(S, xp, r + kx + L);
                        FloatVector v2 = FloatVector.fromArray(S, xp, r + kx + 2 * L);
                        FloatVector b = FloatVector.broadcast(S, w[wOff + t + kx]);
                        a00 = v0.fma(b, a00);
                        a01 = v1.fma(b, a01);
                        a02 = v2.fma(b, a02);
                        b = FloatVector.broadcast(S, w[w1 + t + kx]);
                        a10 = v0.fma(b, a10);
                        a11 = v1.fma(b, a11);
                        a12 = v2.fma(b, a12);
                        b = FloatVector.broadcast(S, w[w2 + t + kx]);
                        a20 = v0.fma(b, a20);
                        a21 = v1.fma(b, a21);
                        a22 = v2.fma(b, a22);
                        b = FloatVector.broadcast(S, w[w3 + t + kx]);
                        a30 = v0.fma(b, a30);
                        a31 = v1.fma(b, a31);
                        a32 = v2.fma(b, a32);
                    }
                }
            }
            int o = outOff + p;
            store(a00, a01, a02, out, o);
            if (cos > 1) {
                store(a10, a11, a12, out, o + len);
            }
            if (cos > 2) {
                store(a20, a21, a22, out, o + 2 * len);
            }
            if (cos > 3) {
                store(a30, a31, a32, out, o + 3 * len);
            }
        }
    }

    private static void store(FloatVector v0, FloatVector v1, FloatVector v2, float[] out, int o) {
        v0.intoArray(out, o);
        v1.intoArray(out, o + L);
        v2.intoArray(out, o + 2 * L);
    }
}
