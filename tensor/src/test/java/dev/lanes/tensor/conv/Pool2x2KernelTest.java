package dev.lanes.tensor.conv;

import dev.lanes.tensor.Vectorization;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The 2x2 stride-2 average-pooling kernels (SIMD and scalar twin) against {@link PoolReference}, bit for
 * bit, on awkward planes: odd heights and widths (a dropped last row or column), rows of one
 * output, rows longer than two vector chunks, several planes at an offset, values with ties,
 * NaNs and negative zeros; nothing outside the outputs is written.
 */
class Pool2x2KernelTest {
    private static final Pool2x2Kernel SCALAR = new Pool2x2Scalar();
    private static final Pool2x2Kernel SIMD =
            Vectorization.load(Pool2x2Kernel.class, "dev.lanes.tensor.simd.Pool2x2Simd", SCALAR);

    private static final int[][] PLANES = {{2, 2}, {2, 3}, {3, 2}, {3, 3}, {28, 28}, {10, 10}, {7, 9}, {2, 33},
        {5, 31}, {4, 32}, {6, 34}, {3, 65}, {9, 70}, {1 + 1, 129}, {16, 16}, {11, 47}};

    /** Coarse values (sums that round), a few NaNs and negative zeros. */
    private static float[] values(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(60);
            x[i] = k == 0 ? Float.NaN : k == 1 ? -0f : r.nextInt(9) - 4 + (r.nextBoolean() ? 0.1f * r.nextInt(3) : 0f);
        }
        return x;
    }

    private static void forEachCase(CaseBody body) {
        SplittableRandom r = new SplittableRandom(17);
        for (int[] hw : PLANES) {
            for (int planes : new int[] {1, 3}) {
                body.run(PoolShape.of(1, planes, hw[0], hw[1], 2, 2, 0), 1 + r.nextInt(5), r);
            }
        }
    }

    private interface CaseBody {
        void run(PoolShape s, int off, SplittableRandom r);
    }

    @Test
    void bothKernelsAverageExactlyAsTheReference() {
        forEachCase((s, off, r) -> {
            int in = s.c() * s.h() * s.w(), out = s.c() * s.outH() * s.outW();
            float[] x = values(r, in + 2 * off);
            float[] ref = new float[out];
            PoolReference.avgForward(s, true, x, off, ref, 0);
            for (Pool2x2Kernel k : new Pool2x2Kernel[] {SCALAR, SIMD}) {
                float[] y = new float[out + 2 * off];
                Arrays.fill(y, 42f);
                avgForward(k, s, x, off, y, off);
                assertBitsEqual(ref, Arrays.copyOfRange(y, off, off + out), k + " " + s);
                assertUntouched(y, off, out, 42f, k + " " + s);
            }
        });
    }

    @Test
    void bothKernelsSpreadTheAverageGradientExactlyAsTheReference() {
        forEachCase((s, off, r) -> {
            int in = s.c() * s.h() * s.w(), out = s.c() * s.outH() * s.outW();
            float[] dy = values(r, out + off);
            float[] start = values(r, in + 2 * off);
            float[] ref = start.clone();
            PoolReference.avgBackward(s, true, dy, off, ref, off);
            for (Pool2x2Kernel k : new Pool2x2Kernel[] {SCALAR, SIMD}) {
                float[] dx = start.clone();
                avgBackward(k, s, dy, off, dx, off);
                assertBitsEqual(ref, dx, k + " " + s);
            }
        });
    }

    @Test
    void theSimdKernelIsInUseWhenVectorizationIsOn() {
        assertEquals(Vectorization.enabled(), SIMD != SCALAR);
    }

    private static void avgForward(Pool2x2Kernel k, PoolShape s, float[] x, int xOff, float[] y, int yOff) {
        int oh = s.outH(), ow = s.outW(), hw = s.h() * s.w();
        for (int p = 0; p < s.c(); p++) {
            for (int oy = 0; oy < oh; oy++) {
                k.avgRow(x, xOff + p * hw + 2 * oy * s.w(), s.w(), ow, y, yOff + (p * oh + oy) * ow);
            }
        }
    }

    private static void avgBackward(Pool2x2Kernel k, PoolShape s, float[] dy, int dyOff, float[] dx, int dxOff) {
        int oh = s.outH(), ow = s.outW(), hw = s.h() * s.w();
        for (int p = 0; p < s.c(); p++) {
            for (int oy = 0; oy < oh; oy++) {
                k.avgBackwardRow(dy, dyOff + (p * oh + oy) * ow, ow, dx, dxOff + p * hw + 2 * oy * s.w(), s.w());
            }
        }
    }

    private static void assertBitsEqual(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])
                    && !(Float.isNaN(expected[i]) && Float.isNaN(actual[i]))) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    private static void assertUntouched(float[] y, int off, int out, float fill, String what) {
        for (int i = 0; i < off; i++) {
            assertEquals(fill, y[i], what + ": wrote before the output");
            assertEquals(fill, y[off + out + i], what + ": wrote after the output");
        }
    }
}
