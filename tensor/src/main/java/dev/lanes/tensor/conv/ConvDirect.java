package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Vectorization;

import java.util.Arrays;

/**
 * Direct convolution forward for stride 1, dilation 1 and one group, and backward-data as the
 * forward pass of the transposed problem ({@link #backwardData}): each sample is copied
 * once into a zero-padded buffer (so the inner loop has no bounds tests), then
 * {@link ConvDirectKernel} computes blocks of output channels. Samples are spread over
 * Lanes' threads; with fewer samples than threads, the channel blocks of a sample are.
 * Every output is computed by one task in the same order, so results do not depend on the
 * thread count.
 */
public final class ConvDirect {
    private static final ConvDirectKernel SCALAR = new ConvDirectScalar();
    private static final ConvDirectKernel FAST =
            Vectorization.load(ConvDirectKernel.class, "dev.lanes.tensor.simd.ConvDirectSimd", SCALAR);

    private ConvDirect() {
    }

    /** The shapes this kernel handles. */
    public static boolean supports(ConvShape s) {
        return s.strideH() == 1 && s.strideW() == 1 && s.dilH() == 1 && s.dilW() == 1 && s.groups() == 1;
    }

    public static void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        forward(FAST, s, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    /** On the scalar twin, whatever SIMD support there is (for the tests). */
    static void forwardScalar(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                              float[] bias, int bOff, float[] y, int yOff) {
        forward(SCALAR, s, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    /** The shapes {@link #backwardData} handles: those of the forward pass with padding below the kernel size. */
    public static boolean supportsBackwardData(ConvShape s) {
        return supports(s) && s.padH() < s.kh() && s.padW() < s.kw();
    }

    /**
     * {@code dx += conv_transpose(dy, w)} as a direct forward convolution of {@code dy}, padded by
     * {@code k - 1 - pad}, with the weight transposed ({@code [cIn, cOut, kh, kw]}) and flipped.
     */
    public static void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        backwardData(FAST, s, dy, dyOff, w, wOff, dx, dxOff);
    }

    static void backwardDataScalar(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        backwardData(SCALAR, s, dy, dyOff, w, wOff, dx, dxOff);
    }

    static void backwardData(ConvDirectKernel kernel, ConvShape s, float[] dy, int dyOff, float[] w, int wOff,
                             float[] dx, int dxOff) {
        if (!supportsBackwardData(s)) {
            throw new IllegalArgumentException("direct backward-data needs stride 1, dilation 1, one group and "
                    + "padding below the kernel size: " + s);
        }
        ConvShape t = transposedProblem(s);
        float[] wt = flippedTransposedWeights(s, w, wOff);
        run(kernel, t, dy, dyOff, wt, 0, null, 0, dx, dxOff, true);
    }

    static void forward(ConvDirectKernel kernel, ConvShape s, float[] x, int xOff, float[] w, int wOff,
                        float[] bias, int bOff, float[] y, int yOff) {
        if (!supports(s)) {
            throw new IllegalArgumentException("direct convolution needs stride 1, dilation 1 and one group: " + s);
        }
        run(kernel, s, x, xOff, w, wOff, bias, bOff, y, yOff, false);
    }

    private static void run(ConvDirectKernel kernel, ConvShape s, float[] x, int xOff, float[] w, int wOff,
                            float[] bias, int bOff, float[] y, int yOff, boolean add) {
        int blocks = Math.ceilDiv(s.cOut(), ConvDirectKernel.BLOCK);
        if (s.n() > 1 && s.n() >= Parallel.threads()) {
            Parallel.parallelFor(s.n(), 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++) {
                    float[] xp = pad(kernel, s, x, xOff, b);
                    blocks(kernel, s, xp, w, wOff, bias, bOff, y, yOff, b, 0, blocks, add);
                }
            });
        } else {
            for (int b = 0; b < s.n(); b++) {
                float[] xp = pad(kernel, s, x, xOff, b);
                int sample = b;
                Parallel.parallelFor(blocks, 1, (c0, c1) ->
                        blocks(kernel, s, xp, w, wOff, bias, bOff, y, yOff, sample, c0, c1, add));
            }
        }
    }

    /** Flat output positions per channel: {@code outH} rows of {@code wp}, rounded up to the kernel's multiple. */
    private static int flatLength(ConvDirectKernel kernel, ConvShape s) {
        return Math.ceilDiv(s.outH() * paddedRow(s), kernel.lanes()) * kernel.lanes();
    }

    private static int paddedRow(ConvShape s) {
        return s.outW() + s.kw() - 1;
    }

    /** Floats per padded input plane: every flat read {@code p + ky*wp + kx} with {@code p < len} stays inside. */
    private static int paddedPlane(ConvDirectKernel kernel, ConvShape s) {
        return (s.kh() - 1) * paddedRow(s) + s.kw() - 1 + flatLength(kernel, s);
    }

    /** Copies sample {@code b} into the calling thread's scratch, {@code padH} zero rows and {@code padW} zero columns around. */
    private static float[] pad(ConvDirectKernel kernel, ConvShape s, float[] x, int xOff, int b) {
        int wp = paddedRow(s), plane = paddedPlane(kernel, s);
        float[] xp = ConvScratch.get().col(s.cIn() * plane);
        Arrays.fill(xp, 0, s.cIn() * plane, 0f);
        for (int c = 0; c < s.cIn(); c++) {
            int src = xOff + (b * s.cIn() + c) * s.h() * s.w();
            int dst = c * plane + s.padH() * wp + s.padW();
            for (int iy = 0; iy < s.h(); iy++) {
                System.arraycopy(x, src + iy * s.w(), xp, dst + iy * wp, s.w());
            }
        }
        return xp;
    }

    /**
     * Channel blocks {@code [c0, c1)} of sample {@code b}: the kernel fills the thread's flat
     * buffer, whose rows (less their last {@code kw - 1} positions) then go to {@code y}, plus
     * the bias, or added to {@code y}.
     */
    private static void blocks(ConvDirectKernel kernel, ConvShape s, float[] xp, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff, int b, int c0, int c1, boolean add) {
        int wp = paddedRow(s), plane = paddedPlane(kernel, s), len = flatLength(kernel, s);
        int oh = s.outH(), ow = s.outW(), ks = s.cIn() * s.kh() * s.kw();
        float[] out = ConvScratch.get().rows(ConvDirectKernel.BLOCK * len);
        for (int c = c0; c < c1; c++) {
            int co = c * ConvDirectKernel.BLOCK, cos = Math.min(ConvDirectKernel.BLOCK, s.cOut() - co);
            kernel.forward(xp, 0, wp, plane, s.cIn(), s.kh(), s.kw(), w, wOff + co * ks, cos, out, 0, len);
            for (int j = 0; j < cos; j++) {
                int dst = yOff + ((b * s.cOut() + co + j) * oh) * ow;
                float v = bias == null ? 0f : bias[bOff + co + j];
                for (int oy = 0; oy < oh; oy++) {
                    int src = j * len + oy * wp, d = dst + oy * ow;
                    if (add) {
                        for (int ox = 0; ox < ow; ox++) {
                            y[d + ox] += out[src + ox];
                        }
                    } else if (bias == null) {
                        System.arraycopy(out, src, y, d, ow);
                    } else {
                        for (int ox = 0; ox < ow; ox++) {
                            y[d + ox] = out[src + ox] + v;
                        }
                    }
                }
            }
        }
    }

    /** Backward-data as a forward problem: {@code dy} is the input, padded by {@code k - 1 - pad}. */
    static ConvShape transposedProblem(ConvShape s) {
        return new ConvShape(s.n(), s.cOut(), s.outH(), s.outW(), s.cIn(), s.kh(), s.kw(), 1, 1,
                s.kh() - 1 - s.padH(), s.kw() - 1 - s.padW(), 1, 1, 1);
    }

    /** The weight as {@code [cIn, cOut, kh, kw]}, each kernel flipped, in this thread's scratch. */
    static float[] flippedTransposedWeights(ConvShape s, float[] w, int wOff) {
        int taps = s.kh() * s.kw();
        float[] wt = ConvScratch.get().weights(s.cIn() * s.cOut() * taps);
        for (int co = 0; co < s.cOut(); co++) {
            for (int ci = 0; ci < s.cIn(); ci++) {
                int src = wOff + (co * s.cIn() + ci) * taps, dst = (ci * s.cOut() + co) * taps;
                for (int k = 0; k < taps; k++) {
                    wt[dst + k] = w[src + taps - 1 - k];
                }
            }
        }
        return wt;
    }
}
