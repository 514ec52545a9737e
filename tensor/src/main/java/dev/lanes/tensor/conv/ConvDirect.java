package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Vectorization;

import java.util.Arrays;

/**
 * Direct convolution forward for stride 1, dilation 1 and one group: each sample is copied
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

    static void forward(ConvDirectKernel kernel, ConvShape s, float[] x, int xOff, float[] w, int wOff,
                        float[] bias, int bOff, float[] y, int yOff) {
        if (!supports(s)) {
            throw new IllegalArgumentException("direct convolution needs stride 1, dilation 1 and one group: " + s);
        }
        int blocks = Math.ceilDiv(s.cOut(), ConvDirectKernel.BLOCK);
        if (s.n() > 1 && s.n() >= Parallel.threads()) {
            Parallel.parallelFor(s.n(), 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++) {
                    float[] xp = pad(kernel, s, x, xOff, b);
                    blocks(kernel, s, xp, w, wOff, bias, bOff, y, yOff, b, 0, blocks);
                }
            });
        } else {
            for (int b = 0; b < s.n(); b++) {
                float[] xp = pad(kernel, s, x, xOff, b);
                int sample = b;
                Parallel.parallelFor(blocks, 1, (c0, c1) ->
                        blocks(kernel, s, xp, w, wOff, bias, bOff, y, yOff, sample, c0, c1));
            }
        }
    }

    private static int paddedRow(ConvDirectKernel kernel, ConvShape s) {
        return s.outW() + s.kw() - 1 + kernel.rowSlack();
    }

    /** Copies sample {@code b} into the calling thread's scratch, {@code padH} zero rows and {@code padW} zero columns around. */
    private static float[] pad(ConvDirectKernel kernel, ConvShape s, float[] x, int xOff, int b) {
        int wp = paddedRow(kernel, s), hp = s.h() + 2 * s.padH(), plane = hp * wp;
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

    private static void blocks(ConvDirectKernel kernel, ConvShape s, float[] xp, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff, int b, int c0, int c1) {
        int wp = paddedRow(kernel, s), plane = (s.h() + 2 * s.padH()) * wp;
        int oh = s.outH(), ow = s.outW(), ks = s.cIn() * s.kh() * s.kw();
        for (int c = c0; c < c1; c++) {
            int co = c * ConvDirectKernel.BLOCK, cos = Math.min(ConvDirectKernel.BLOCK, s.cOut() - co);
            int yo = yOff + (b * s.cOut() + co) * oh * ow;
            kernel.forward(xp, 0, wp, plane, s.cIn(), s.kh(), s.kw(), w, wOff + co * ks, cos, y, yo, oh, ow);
            if (bias != null) {
                for (int j = 0; j < cos; j++) {
                    float v = bias[bOff + co + j];
                    int row = yo + j * oh * ow;
                    for (int i = 0; i < oh * ow; i++) {
                        y[row + i] += v;
                    }
                }
            }
        }
    }
}
