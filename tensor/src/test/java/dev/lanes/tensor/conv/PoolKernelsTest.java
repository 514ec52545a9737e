package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class PoolKernelsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Kernel != stride, padding, 2x2 stride 2 (its own loop), odd sizes, width-1 outputs, big planes. */
    private static List<PoolShape> shapes() {
        List<PoolShape> out = new ArrayList<>(List.of(
                PoolShape.of(3, 5, 8, 8, 2, 2, 0),
                PoolShape.of(1, 3, 7, 9, 2, 2, 0),       // odd sizes: the last row and column are dropped
                PoolShape.of(3, 16, 13, 13, 3, 2, 0),
                PoolShape.of(3, 5, 13, 13, 3, 1, 1),     // GoogLeNet's 3x3 stride 1 padding 1
                PoolShape.of(1, 3, 9, 7, 3, 2, 1),
                new PoolShape(3, 1, 7, 9, 2, 9, 1, 1, 1, 0),   // output width 1
                new PoolShape(1, 3, 5, 11, 5, 3, 3, 2, 2, 1),
                PoolShape.of(2, 4, 64, 64, 2, 2, 0),      // enough planes to run in parallel
                PoolShape.of(2, 3, 32, 32, 1, 2, 0),      // 1x1 stride 2: ResNet's option-A subsampling
                new PoolShape(1, 2, 7, 9, 1, 1, 3, 2, 0, 0),   // 1x1, odd sizes, strides 3 and 2
                new PoolShape(1, 2, 5, 1, 1, 1, 1, 1, 0, 0)));  // 1x1 stride 1 on width 1: a copy
        SplittableRandom r = new SplittableRandom(5);
        while (out.size() < 40) {
            int k = 1 + r.nextInt(5), kw = r.nextBoolean() ? k : 1 + r.nextInt(5);
            try {
                out.add(new PoolShape(1 + 2 * r.nextInt(2), 1 + r.nextInt(6), 1 + r.nextInt(14), 1 + r.nextInt(14),
                        k, kw, 1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(k / 2 + 1), r.nextInt(kw / 2 + 1)));
            } catch (IllegalArgumentException empty) {
                // the window does not fit: draw again
            }
        }
        return out;
    }

    /** Values on a coarse grid (ties are common) with a few NaNs. */
    private static float[] input(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = r.nextInt(50) == 0 ? Float.NaN : r.nextInt(7) - 3;
        }
        return x;
    }

    @Test
    void maxPoolingEqualsTheReferenceIncludingArgmaxTiesAndNaN() {
        SplittableRandom r = new SplittableRandom(6);
        for (PoolShape s : shapes()) {
            int in = s.n() * s.c() * s.h() * s.w(), out = s.n() * s.c() * s.outH() * s.outW();
            float[] x = input(r, in);
            float[] yRef = new float[out], y = new float[out + 2];
            int[] aRef = new int[out], a = new int[out + 1];
            PoolReference.maxForward(s, x, 0, yRef, 0, aRef, 0);
            PoolKernels.maxForward(s, x, 0, y, 2, a, 1);
            assertArrayEquals(yRef, Arrays.copyOfRange(y, 2, y.length), s.toString());
            assertArrayEquals(aRef, Arrays.copyOfRange(a, 1, a.length), s.toString());

            float[] dy = ConvCases.random(r, out), start = ConvCases.random(r, in);
            float[] dxRef = start.clone(), dx = start.clone();
            PoolReference.maxBackward(s, dy, 0, aRef, 0, dxRef, 0);
            PoolKernels.maxBackward(s, dy, 0, aRef, 0, dx, 0);
            assertArrayEquals(dxRef, dx, s.toString());
        }
    }

    @Test
    void averagePoolingEqualsTheReferenceWithAndWithoutPaddingInTheCount() {
        SplittableRandom r = new SplittableRandom(7);
        for (PoolShape s : shapes()) {
            for (boolean countPad : new boolean[] {true, false}) {
                int in = s.n() * s.c() * s.h() * s.w(), out = s.n() * s.c() * s.outH() * s.outW();
                float[] x = ConvCases.random(r, in);
                float[] yRef = new float[out], y = new float[out];
                Arrays.fill(y, Float.NaN);
                PoolReference.avgForward(s, countPad, x, 0, yRef, 0);
                PoolKernels.avgForward(s, countPad, x, 0, y, 0);
                assertArrayEquals(yRef, y, s + " countPad=" + countPad);

                float[] dy = ConvCases.random(r, out), start = ConvCases.random(r, in);
                float[] dxRef = start.clone(), dx = start.clone();
                PoolReference.avgBackward(s, countPad, dy, 0, dxRef, 0);
                PoolKernels.avgBackward(s, countPad, dy, 0, dx, 0);
                assertArrayEquals(dxRef, dx, s + " countPad=" + countPad);
            }
        }
    }

    @Test
    void globalAveragePoolingMatchesTheReference() {
        SplittableRandom r = new SplittableRandom(8);
        for (int[] ncp : new int[][] {{1, 1, 1}, {3, 5, 7 * 9}, {2, 16, 13 * 13}, {64, 64, 8 * 8}, {1, 2, 40_000}}) {
            int n = ncp[0], c = ncp[1], plane = ncp[2];
            float[] x = ConvCases.random(r, n * c * plane);
            float[] yRef = new float[n * c], y = new float[n * c + 1];
            PoolReference.globalAvgForward(n, c, plane, x, 0, yRef, 0);
            PoolKernels.globalAvgForward(n, c, plane, x, 0, y, 1);
            float[] yFast = Arrays.copyOfRange(y, 1, y.length);
            for (int i = 0; i < yRef.length; i++) {
                assertEquals(yRef[i], yFast[i], 1e-6 * Math.sqrt(plane) + 1e-6, "plane " + plane);
            }
            float[] dy = ConvCases.random(r, n * c), start = ConvCases.random(r, n * c * plane);
            float[] dxRef = start.clone(), dx = start.clone();
            PoolReference.globalAvgBackward(n, c, plane, dy, 0, dxRef, 0);
            PoolKernels.globalAvgBackward(n, c, plane, dy, 0, dx, 0);
            assertArrayEquals(dxRef, dx);
        }
    }

    @Test
    void resultsAreTheSameOnOneAndThreeThreads() {
        PoolShape s = PoolShape.of(8, 16, 32, 32, 3, 2, 1);
        SplittableRandom r = new SplittableRandom(9);
        float[] x = ConvCases.random(r, 8 * 16 * 32 * 32);
        float[][] results = new float[2][];
        int i = 0;
        for (int t : new int[] {1, 3}) {
            Parallel.setThreads(t);
            int out = 8 * 16 * s.outH() * s.outW();
            float[] y = new float[out], ya = new float[out], g = new float[8 * 16];
            int[] a = new int[out];
            PoolKernels.maxForward(s, x, 0, y, 0, a, 0);
            PoolKernels.avgForward(s, true, x, 0, ya, 0);
            PoolKernels.globalAvgForward(8, 16, 32 * 32, x, 0, g, 0);
            float[] all = new float[out * 2 + g.length];
            System.arraycopy(y, 0, all, 0, out);
            System.arraycopy(ya, 0, all, out, out);
            System.arraycopy(g, 0, all, 2 * out, g.length);
            results[i++] = all;
        }
        assertArrayEquals(results[0], results[1]);
    }
}
