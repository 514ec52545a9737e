package dev.lanes.tensor.conv;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Awkward convolution shapes for the kernel tests (batch 1 and 3, channels 1/3/5/16, odd
 * sizes, kernels 1/3/5/9, stride 1-3, padding 0-2, dilation 1-2, groups 1/2/channels,
 * outputs of width 1) and the comparison helpers the kernel tests share.
 */
final class ConvCases {
    private ConvCases() {
    }

    /** Random shapes drawn from the list, plus fixed corner cases; all valid. */
    /**
     * At least {@code count} shapes the direct kernels support (stride 1, dilation 1, one group):
     * those of {@link #awkward(long, int)}{@code (seed, awkwardCount)}, then random ones (seeded by
     * {@code seed + 1}) over channels 1/3/5/16, kernels 1/3/5/9 (also rectangular) and odd sizes.
     */
    static List<ConvShape> stride1(long seed, int awkwardCount, int count) {
        List<ConvShape> out = new ArrayList<>();
        for (ConvShape s : awkward(seed, awkwardCount)) {
            if (ConvDirect.supports(s)) {
                out.add(s);
            }
        }
        SplittableRandom r = new SplittableRandom(seed + 1);
        int[] channels = {1, 3, 5, 16}, kernels = {1, 3, 5, 9};
        int[][] sizes = {{7, 9}, {13, 13}, {9, 7}, {5, 11}, {16, 16}};
        while (out.size() < count) {
            int[] hw = sizes[r.nextInt(sizes.length)];
            int kh = kernels[r.nextInt(4)], kw = r.nextBoolean() ? kh : kernels[r.nextInt(4)];
            try {
                out.add(new ConvShape(r.nextBoolean() ? 1 : 3, channels[r.nextInt(4)], hw[0], hw[1], 1 + r.nextInt(9),
                        kh, kw, 1, 1, r.nextInt(3), r.nextInt(3), 1, 1, 1));
            } catch (IllegalArgumentException emptyOutput) {
                // kernel larger than the padded input: draw again
            }
        }
        return out;
    }

    static List<ConvShape> awkward(long seed, int count) {
        List<ConvShape> out = new ArrayList<>();
        // fixed corners: pointwise (the no-unfold path), output width 1, depthwise, dilation with stride
        out.add(ConvShape.of(3, 16, 7, 9, 5, 1, 1, 0, 1, 1));
        out.add(ConvShape.of(1, 5, 13, 13, 5, 1, 1, 0, 1, 5));
        out.add(new ConvShape(3, 3, 7, 9, 4, 3, 9, 1, 1, 1, 0, 1, 1, 1)); // output 7x1
        out.add(new ConvShape(1, 1, 13, 13, 1, 5, 5, 3, 3, 2, 2, 2, 2, 1));
        out.add(ConvShape.of(3, 16, 13, 13, 16, 3, 2, 1, 2, 16));
        out.add(ConvShape.of(3, 5, 9, 7, 3, 9, 1, 2, 1, 1));
        out.add(ConvShape.of(3, 3, 24, 24, 6, 3, 1, 1, 1, 3)); // backward-weights: two chunks, the last short
        out.add(ConvShape.of(5, 2, 33, 31, 4, 3, 1, 1, 1, 2)); // five one-sample chunks
        int[] channels = {1, 3, 5, 16};
        int[][] sizes = {{7, 9}, {13, 13}, {9, 7}, {5, 11}};
        int[] kernels = {1, 3, 5, 9};
        SplittableRandom r = new SplittableRandom(seed);
        while (out.size() < count) {
            int cIn = channels[r.nextInt(channels.length)];
            int[] groupChoices = cIn % 2 == 0 ? new int[] {1, 2, cIn} : new int[] {1, cIn};
            int groups = groupChoices[r.nextInt(groupChoices.length)];
            int cOut = groups * (1 + r.nextInt(3));
            int[] hw = sizes[r.nextInt(sizes.length)];
            int kh = kernels[r.nextInt(kernels.length)];
            int kw = r.nextInt(3) == 0 ? kernels[r.nextInt(kernels.length)] : kh;
            int stride = 1 + r.nextInt(3), pad = r.nextInt(3), dil = 1 + r.nextInt(2);
            int n = r.nextBoolean() ? 1 : 3;
            try {
                out.add(new ConvShape(n, cIn, hw[0], hw[1], cOut, kh, kw, stride, 1 + r.nextInt(3),
                        pad, r.nextInt(3), dil, 1 + r.nextInt(2), groups));
            } catch (IllegalArgumentException emptyOutput) {
                // kernel larger than the padded input: draw again
            }
        }
        return out;
    }

    static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextDouble(-1, 1);
        }
        return v;
    }

    static int inputSize(ConvShape s) {
        return s.n() * s.cIn() * s.h() * s.w();
    }

    static int weightSize(ConvShape s) {
        return s.cOut() * (s.cIn() / s.groups()) * s.kh() * s.kw();
    }

    static int outputSize(ConvShape s) {
        return s.n() * s.cOut() * s.outH() * s.outW();
    }

    /**
     * Asserts {@code |actual - expected| <= tol} elementwise, where {@code terms} is the
     * longest sum behind an element (inputs in [-1, 1], so its rounding error stays below
     * about terms * 2^-24 times the largest partial sum).
     */
    static void assertClose(String what, ConvShape s, float[] expected, float[] actual, int terms) {
        double tol = 1e-5 + 4e-7 * terms * Math.max(1, Math.sqrt(terms));
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + " of " + s + " differs at " + i + ": expected " + expected[i] + ", got " + actual[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
