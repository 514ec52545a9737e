package dev.lanes.tensor.conv;

import dev.lanes.tensor.Gemm;
import dev.lanes.tensor.Parallel;

import java.util.Arrays;

/**
 * Convolution as a matrix product over the input read in place (stride 1, dilation 1, one
 * group): no im2col. A sample is copied once into a zero-padded buffer of planes
 * {@code hp x wp} ({@code wp = outW + kw - 1}); in it, the output position
 * {@code p = oy*wp + ox} reads input {@code p + ky*wp + kx}, so row {@code (ci, ky, kx)} of the
 * unfolded matrix is the padded plane of {@code ci} itself, shifted by {@code ky*wp + kx}.
 * {@link Gemm#sgemmRows} packs those rows straight into its panels, and the product
 * {@code weight x rows} gives the output on rows of {@code wp} positions, whose last
 * {@code kw - 1} (computed from the padding) are dropped when it is copied to {@code y}. The
 * im2col path writes the unfolded matrix (9 times the input for a 3x3 kernel) and packs it
 * again; here only the packing remains.
 *
 * <p>Backward-data is the forward pass of the transposed problem, as in {@link ConvDirect}:
 * {@code dy} padded by {@code k - 1 - pad}, the weight transposed and flipped.
 *
 * <p>Threads and determinism: samples are spread over Lanes' threads (each product then runs
 * on its thread); with fewer samples than threads, one sample after another on the
 * multi-threaded GEMM. Either way every output is one GEMM element, the same bits on any
 * thread count.
 */
public final class ConvImplicitGemm {
    private ConvImplicitGemm() {
    }

    /** The shapes it handles: those of the direct kernels. */
    public static boolean supports(ConvShape s) {
        return ConvDirect.supports(s);
    }

    public static void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        if (!supports(s)) {
            throw new IllegalArgumentException("implicit-GEMM convolution needs stride 1, dilation 1 and one group: " + s);
        }
        run(s, x, xOff, w, wOff, bias, bOff, y, yOff, false);
    }

    /** {@code dx += conv_transpose(dy, w)}, for the shapes of {@link ConvDirect#supportsBackwardData}. */
    public static void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        if (!ConvDirect.supportsBackwardData(s)) {
            throw new IllegalArgumentException("implicit-GEMM backward-data needs stride 1, dilation 1, one group and "
                    + "padding below the kernel size: " + s);
        }
        ConvShape t = ConvDirect.transposedProblem(s);
        float[] wt = ConvDirect.flippedTransposedWeights(s, w, wOff);
        run(t, dy, dyOff, wt, 0, null, 0, dx, dxOff, true);
    }

    private static void run(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                            float[] bias, int bOff, float[] y, int yOff, boolean add) {
        if (s.n() > 1 && s.n() >= Parallel.threads()) {
            Parallel.parallelFor(s.n(), 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++) {
                    sample(s, x, xOff, w, wOff, bias, bOff, y, yOff, add, b);
                }
            });
        } else {
            for (int b = 0; b < s.n(); b++) {
                sample(s, x, xOff, w, wOff, bias, bOff, y, yOff, add, b);
            }
        }
    }

    private static void sample(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff, boolean add, int b) {
        int oh = s.outH(), ow = s.outW(), kh = s.kh(), kw = s.kw();
        int wp = ow + kw - 1, hp = oh + kh - 1, plane = hp * wp, ks = s.cIn() * kh * kw;
        // output positions on rows of wp; the last row needs only its first ow
        int n = (oh - 1) * wp + ow;
        ConvScratch scratch = ConvScratch.get();
        float[] xp = scratch.col(s.cIn() * plane);
        Arrays.fill(xp, 0, s.cIn() * plane, 0f);
        for (int c = 0; c < s.cIn(); c++) {
            int src = xOff + (b * s.cIn() + c) * s.h() * s.w();
            int dst = c * plane + s.padH() * wp + s.padW();
            for (int iy = 0; iy < s.h(); iy++) {
                System.arraycopy(x, src + iy * s.w(), xp, dst + iy * wp, s.w());
            }
        }
        int[] rows = scratch.offsets(ks);
        for (int c = 0, r = 0; c < s.cIn(); c++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, r++) {
                    rows[r] = c * plane + ky * wp + kx;
                }
            }
        }
        float[] out = scratch.rows(s.cOut() * n);
        Gemm.sgemmRows(false, s.cOut(), n, ks, 1f, w, wOff, ks, xp, rows, 0f, out, 0, n);
        for (int co = 0; co < s.cOut(); co++) {
            int d = yOff + (b * s.cOut() + co) * oh * ow;
            float v = bias == null ? 0f : bias[bOff + co];
            for (int oy = 0; oy < oh; oy++) {
                int src = co * n + oy * wp, dy = d + oy * ow;
                if (add) {
                    for (int ox = 0; ox < ow; ox++) {
                        y[dy + ox] += out[src + ox];
                    }
                } else if (bias == null) {
                    System.arraycopy(out, src, y, dy, ow);
                } else {
                    for (int ox = 0; ox < ow; ox++) {
                        y[dy + ox] = out[src + ox] + v;
                    }
                }
            }
        }
    }

    /** Output positions of the samples of one weight-gradient chunk, at least (see {@link #samplesPerChunk}). */
    static final int CHUNK_POSITIONS = 1024;

    /**
     * {@code dw += dL/dw}, {@code db += sum of dy per channel} ({@code db} may be null), for the
     * shapes of {@link #supports}: per chunk of samples, {@code (x rows) x dy^T} with the rows of
     * the unfolded input read in place ({@link Gemm#sgemmRowsA}). The chunk's samples sit one
     * after another in each channel's padded buffer and its output gradient is laid out on the
     * same positions, zero where no output is (the {@code kw - 1} columns per row, the
     * {@code kh - 1} rows per sample), so one product of depth about {@code count * hp * wp}
     * covers the chunk and the positions without an output add nothing. Chunks are summed as
     * in {@link ConvIm2col#sumChunks}: the same bits on any thread count.
     */
    public static void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                       float[] dw, int dwOff, float[] db, int dbOff) {
        if (!supports(s)) {
            throw new IllegalArgumentException("implicit-GEMM weight gradient needs stride 1, dilation 1 and one group: " + s);
        }
        if (db != null) {
            ConvIm2col.biasGradient(s, dy, dyOff, db, dbOff);
        }
        ConvIm2col.sumChunks(s, samplesPerChunk(s), true,
                (b0, b1, out, outOff) -> weightChunk(s, x, xOff, dy, dyOff, b0, b1, out, outOff), dw, dwOff);
    }

    /** Samples per weight-gradient chunk: a function of the shape alone (never of the thread count). */
    static int samplesPerChunk(ConvShape s) {
        long plane = (long) (s.outH() + s.kh() - 1) * (s.outW() + s.kw() - 1);
        int per = (int) Math.ceilDiv(CHUNK_POSITIONS, plane);
        per = (int) Math.min(per, Math.max(1, ConvIm2col.CHUNK_FLOATS / (s.cIn() * plane)));
        return Math.min(per, s.n());
    }

    private static void weightChunk(ConvShape s, float[] x, int xOff, float[] dy, int dyOff, int b0, int b1,
                                    float[] out, int outOff) {
        int oh = s.outH(), ow = s.outW(), kh = s.kh(), kw = s.kw(), count = b1 - b0;
        int wp = ow + kw - 1, plane = (oh + kh - 1) * wp, chan = count * plane, ks = s.cIn() * kh * kw;
        int depth = (count - 1) * plane + (oh - 1) * wp + ow;
        ConvScratch scratch = ConvScratch.get();
        float[] xp = scratch.col(s.cIn() * chan);
        Arrays.fill(xp, 0, s.cIn() * chan, 0f);
        for (int c = 0; c < s.cIn(); c++) {
            for (int j = 0; j < count; j++) {
                int src = xOff + ((b0 + j) * s.cIn() + c) * s.h() * s.w();
                int dst = c * chan + j * plane + s.padH() * wp + s.padW();
                for (int iy = 0; iy < s.h(); iy++) {
                    System.arraycopy(x, src + iy * s.w(), xp, dst + iy * wp, s.w());
                }
            }
        }
        float[] dyp = scratch.rows(s.cOut() * depth);
        Arrays.fill(dyp, 0, s.cOut() * depth, 0f);
        for (int co = 0; co < s.cOut(); co++) {
            for (int j = 0; j < count; j++) {
                int src = dyOff + ((b0 + j) * s.cOut() + co) * oh * ow, dst = co * depth + j * plane;
                for (int oy = 0; oy < oh; oy++) {
                    System.arraycopy(dy, src + oy * ow, dyp, dst + oy * wp, ow);
                }
            }
        }
        int[] rows = scratch.offsets(ks);
        for (int c = 0, r = 0; c < s.cIn(); c++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, r++) {
                    rows[r] = c * chan + ky * wp + kx;
                }
            }
        }
        Gemm.sgemmRowsA(ks, s.cOut(), depth, 1f, xp, rows, true, dyp, 0, depth, 0f, out, outOff, s.cOut());
    }
}
