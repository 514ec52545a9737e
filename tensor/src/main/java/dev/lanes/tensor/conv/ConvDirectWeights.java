package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Vectorization;

import java.util.Arrays;

/**
 * Direct weight gradient for stride 1, dilation 1 and one group:
 * {@code dw[co][ci][ky][kx] += sum over samples and positions of dy[co][oy][ox] * x[ci][oy+ky-padH][ox+kx-padW]},
 * computed by {@link ConvWeightGradKernel} on flat zero-padded copies of the planes (see there),
 * so that no column matrix is built and narrow layers (16 channels) still fill the vector registers.
 *
 * <p>Threads and determinism: the work is cut into units of (4 output channels, up to
 * {@link #CHANNEL_GROUP} input channels); each weight-gradient element belongs to one unit, and
 * its unit adds the batch to it chunk after chunk in sample order. A chunk's size depends on the
 * shape alone, so the result is the same bits on any thread count; threads only decide which
 * units they run. Within a task, chunks are the outer loop, so a chunk's planes are padded once
 * and stay in cache while its units use them.
 */
public final class ConvDirectWeights {
    private static final ConvWeightGradKernel SCALAR = new ConvWeightGradScalar();
    private static final ConvWeightGradKernel FAST =
            Vectorization.load(ConvWeightGradKernel.class, "dev.lanes.tensor.simd.ConvWeightGradSimd", SCALAR);
    /** Input channels per unit. */
    static final int CHANNEL_GROUP = 16;
    /** Chunks hold enough samples for at least this many flat positions. */
    static final int CHUNK_POSITIONS = 1024;

    private ConvDirectWeights() {
    }

    public static void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                       float[] dw, int dwOff, float[] db, int dbOff) {
        backwardWeights(FAST, s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
    }

    /** On the scalar twin, whatever SIMD support there is (for the tests). */
    static void backwardWeightsScalar(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                      float[] dw, int dwOff, float[] db, int dbOff) {
        backwardWeights(SCALAR, s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
    }

    /** Samples per chunk: a function of the shape (and the vector width) alone, never of the thread count. */
    static int samplesPerChunk(ConvWeightGradKernel kernel, ConvShape s) {
        return Math.min(s.n(), Math.max(1, Math.ceilDiv(CHUNK_POSITIONS, flatLength(kernel, s))));
    }

    private static int flatLength(ConvWeightGradKernel kernel, ConvShape s) {
        int wp = s.outW() + s.kw() - 1;
        return Math.ceilDiv(s.outH() * wp, kernel.lanes()) * kernel.lanes();
    }

    static void backwardWeights(ConvWeightGradKernel kernel, ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                float[] dw, int dwOff, float[] db, int dbOff) {
        if (!ConvDirect.supports(s)) {
            throw new IllegalArgumentException("direct weight gradient needs stride 1, dilation 1 and one group: " + s);
        }
        if (db != null) {
            ConvIm2col.biasGradient(s, dy, dyOff, db, dbOff);
        }
        int blocks = Math.ceilDiv(s.cOut(), ConvWeightGradKernel.BLOCK);
        int units = blocks * Math.ceilDiv(s.cIn(), CHANNEL_GROUP);
        int grain = Math.ceilDiv(units, Math.min(units, Parallel.threads()));
        Parallel.parallelFor(units, grain, (u0, u1) -> units(kernel, s, x, xOff, dy, dyOff, dw, dwOff, u0, u1));
    }

    private static void units(ConvWeightGradKernel kernel, ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                              float[] dw, int dwOff, int u0, int u1) {
        int blocks = Math.ceilDiv(s.cOut(), ConvWeightGradKernel.BLOCK);
        int per = samplesPerChunk(kernel, s), len = flatLength(kernel, s);
        int oh = s.outH(), ow = s.outW(), kh = s.kh(), kw = s.kw(), wp = ow + kw - 1;
        int xPlane = (kh - 1) * wp + kw - 1 + len;
        ConvScratch scratch = ConvScratch.get();
        float[] dyp = scratch.rows(ConvWeightGradKernel.BLOCK * per * len);
        float[] xp = scratch.col(CHANNEL_GROUP * per * xPlane);
        float[] sums = scratch.sums(ConvWeightGradKernel.BLOCK * kw), work = scratch.work(3 * kernel.lanes());
        for (int b0 = 0; b0 < s.n(); b0 += per) {
            int count = Math.min(per, s.n() - b0);
            int paddedGroup = -1;
            for (int u = u0; u < u1; u++) {
                int group = u / blocks, co0 = (u % blocks) * ConvWeightGradKernel.BLOCK;
                int ci0 = group * CHANNEL_GROUP, cis = Math.min(CHANNEL_GROUP, s.cIn() - ci0);
                int cos = Math.min(ConvWeightGradKernel.BLOCK, s.cOut() - co0);
                if (group != paddedGroup) {
                    padInput(s, x, xOff, b0, count, ci0, cis, xp, per, xPlane, wp);
                    paddedGroup = group;
                }
                padGradient(s, dy, dyOff, b0, count, co0, cos, dyp, per, len, wp);
                for (int ci = 0; ci < cis; ci++) {
                    for (int ky = 0; ky < kh; ky++) {
                        kernel.correlate(dyp, 0, per * len, len, cos, xp, ci * per * xPlane + ky * wp, xPlane,
                                count, len, kw, sums, work);
                        for (int j = 0; j < cos; j++) {
                            int d = dwOff + (((co0 + j) * s.cIn() + ci0 + ci) * kh + ky) * kw;
                            for (int kx = 0; kx < kw; kx++) {
                                dw[d + kx] += sums[j * kw + kx];
                            }
                        }
                    }
                }
            }
        }
    }

    /** Input planes {@code [ci0, ci0+cis)} of samples {@code [b0, b0+count)}, zero-padded, one flat plane each. */
    private static void padInput(ConvShape s, float[] x, int xOff, int b0, int count, int ci0, int cis,
                                 float[] xp, int per, int xPlane, int wp) {
        Arrays.fill(xp, 0, cis * per * xPlane, 0f);
        int hw = s.h() * s.w();
        for (int ci = 0; ci < cis; ci++) {
            for (int j = 0; j < count; j++) {
                int src = xOff + ((b0 + j) * s.cIn() + ci0 + ci) * hw;
                int dst = (ci * per + j) * xPlane + s.padH() * wp + s.padW();
                for (int iy = 0; iy < s.h(); iy++) {
                    System.arraycopy(x, src + iy * s.w(), xp, dst + iy * wp, s.w());
                }
            }
        }
    }

    /** Output-gradient planes {@code [co0, co0+cos)} of the chunk's samples, rows {@code wp} apart, zeros between. */
    private static void padGradient(ConvShape s, float[] dy, int dyOff, int b0, int count, int co0, int cos,
                                    float[] dyp, int per, int len, int wp) {
        Arrays.fill(dyp, 0, cos * per * len, 0f);
        int oh = s.outH(), ow = s.outW();
        for (int j = 0; j < cos; j++) {
            for (int b = 0; b < count; b++) {
                int src = dyOff + ((b0 + b) * s.cOut() + co0 + j) * oh * ow, dst = (j * per + b) * len;
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(dy, src + oy * ow, dyp, dst + oy * wp, ow);
                }
            }
        }
    }
}
