package dev.lanes.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link Gemm#sgemm} (SIMD when the test JVM has the vector module, as the build gives it)
 * and {@link Gemm#sgemmScalar} against {@link GemmReference}, on shapes chosen to hit every
 * path: the unpacked small path, edge tiles in M and N, several K slices, several column
 * blocks, a column split on 2 threads, sub-matrices with offsets and padded rows.
 */
class GemmTest {
    private static final int[][] SHAPES = {
            {1, 1, 1},
            {17, 31, 29},      // primes: every tile is an edge somewhere
            {2, 3, 4},
            {1, 300, 130},     // M = 1
            {2, 1500, 900},    // fewer rows than a tile: columns split on 2 threads
            {300, 1, 130},     // N = 1
            {64, 48, 1},       // K = 1
            {517, 7, 13},      // tall and skinny
            {5, 9, 2000},      // deep K: four K slices
            {150, 70, 1100},   // several row tasks, K slices of 367
            {9, 2053, 7},      // wide
            {33, 33, 33},      // just above the small-path threshold
            {31, 32, 32},      // just below it
    };
    private static final float[][] ALPHA_BETA = {{1f, 0f}, {0.5f, 2f}, {-1.5f, 1f}, {0f, 0.5f}, {2f, -0.75f}};

    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void simdMatchesReferenceOnAwkwardShapesAllTransposesAndScalings() {
        compareAll(false);
    }

    @Test
    void scalarPathMatchesReferenceOnAwkwardShapesAllTransposesAndScalings() {
        compareAll(true);
    }

    private static void compareAll(boolean scalar) {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                float[] ab = ALPHA_BETA[rnd.nextInt(ALPHA_BETA.length)];
                for (int threads : new int[] {1, 2}) {
                    Problem p = new Problem(s[0], s[1], s[2], (t & 1) != 0, (t & 2) != 0, ab[0], ab[1], rnd.nextLong());
                    p.check(scalar, threads);
                }
            }
        }
    }

    @Test
    void everyAlphaBetaCaseOnOneShapePerPath() {
        for (float[] ab : ALPHA_BETA) {
            for (boolean scalar : new boolean[] {false, true}) {
                new Problem(37, 41, 600, false, false, ab[0], ab[1], 7).check(scalar, 2);
                new Problem(7, 6, 5, true, false, ab[0], ab[1], 8).check(scalar, 1);
            }
        }
    }

    @Test
    void productsWiderThanThePackedBLimitRunInColumnBlocks() {
        // A 4000-float limit with K = 300 gives column blocks of 13 or 3 panels (SIMD or scalar).
        for (boolean scalar : new boolean[] {false, true}) {
            for (int threads : new int[] {1, 2}) {
                Problem p = new Problem(70, 250, 300, threads == 2, false, 1.5f, 0.5f, 5);
                p.checkWith(threads, out -> GemmBlocked.sgemm(p.kernel(scalar), 4000, p.transA, p.transB, p.m, p.n,
                        p.k, p.alpha, p.a, p.aOff, p.lda, p.b, p.bOff, p.ldb, p.beta, out, p.cOff, p.ldc),
                        "column blocks " + (scalar ? "scalar" : "simd"));
            }
        }
    }

    @Test
    void betaZeroOverwritesNanGarbageInC() {
        for (int[] s : new int[][] {{3, 5, 4}, {70, 90, 80}}) {
            for (boolean scalar : new boolean[] {false, true}) {
                Problem p = new Problem(s[0], s[1], s[2], false, true, 1f, 0f, 3);
                Arrays.fill(p.c, Float.NaN);
                p.check(scalar, 2);
            }
        }
    }

    @Test
    void resultIsBitIdenticalOnOneAndTwoThreadsAndInsideAParallelRegion() {
        int[][] shapes = {{300, 200, 700}, {3, 1000, 1000}, {130, 90, 1500}, {64, 1024, 576}};
        for (int[] s : shapes) {
            for (boolean scalar : new boolean[] {false, true}) {
                Problem p = new Problem(s[0], s[1], s[2], false, false, 1f, 0.5f, 11);
                float[] one = p.run(scalar, 1);
                float[] two = p.run(scalar, 2);
                float[][] nested = new float[1][];
                Parallel.setThreads(2);
                Parallel.parallelFor(2, 1, (from, to) -> {
                    if (from == 0) {
                        nested[0] = p.runHere(scalar);
                    }
                });
                String what = Arrays.toString(s) + (scalar ? " scalar" : " simd");
                assertArrayEquals(bits(one), bits(two), "1 vs 2 threads " + what);
                assertArrayEquals(bits(one), bits(nested[0]), "1 thread vs inside a parallel region " + what);
            }
        }
    }

    @Test
    void randomShapesLargeEnoughForTwoThreadsMatchTheReferenceAndOneThread() {
        SplittableRandom rnd = new SplittableRandom(99);
        for (int i = 0; i < 12; i++) {
            int m = 1 + rnd.nextInt(300), n = 1 + rnd.nextInt(600);
            // Between 2^21 and 2^23 multiply-adds: above the single-thread threshold, cheap to check.
            int k = (int) Math.max(1, Math.min(3000, (long) (rnd.nextInt(1 << 21, 1 << 23)) / ((long) m * n)));
            Problem p = new Problem(m, n, k, rnd.nextBoolean(), rnd.nextBoolean(), 1f, 0.25f, rnd.nextLong());
            p.check(false, 2);
            assertArrayEquals(bits(p.run(false, 1)), bits(p.run(false, 2)), m + "x" + n + "x" + k);
        }
    }

    @Test
    void concurrentCallersFromTwoThreadsDoNotShareBuffers() throws Exception {
        Parallel.setThreads(2);
        Problem p1 = new Problem(200, 150, 600, false, false, 1f, 0f, 21);
        Problem p2 = new Problem(180, 170, 550, true, true, 1f, 0f, 22);
        float[] want1 = p1.run(false, 1);
        float[] want2 = p2.run(false, 1);
        float[][] got = new float[2][];
        Thread other = new Thread(() -> {
            for (int i = 0; i < 5; i++) {
                got[1] = p2.run(false, 2);
            }
        });
        other.start();
        for (int i = 0; i < 5; i++) {
            got[0] = p1.run(false, 2);
        }
        other.join();
        assertArrayEquals(bits(want1), bits(got[0]));
        assertArrayEquals(bits(want2), bits(got[1]));
    }

    @Test
    void badArgumentsAreRejectedWithTheShapesInTheMessage() {
        float[] a = new float[6], b = new float[6], c = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("lda=2") && e.getMessage().contains("2 x 3"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemm(false, false, 2, 2, 3, 1f, a, 1, 3, b, 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("needs 7"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmScalar(false, false, -1, 2, 3, 1f, a, 0, 3, b, 0, 2, 0f, c, 0, 2));
    }

    /**
     * {@link Gemm#sgemmRows} (SIMD and scalar) against the reference on a B whose rows lie at
     * scattered, overlapping and reversed starts in one array, on shapes with edge panels in N
     * (N = 1, N not a multiple of the panel width), several K slices and a column split on 2
     * threads; the same bits on 1 and 2 threads and as {@link Gemm#sgemm} on the same rows copied out.
     */
    @Test
    void rowsVariantMatchesTheReferenceWhereverTheRowsOfBLie() {
        SplittableRandom rnd = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {17, 31, 29}, {4, 1, 9}, {64, 78, 576}, {9, 1500, 40}, {5, 33, 1100}, {70, 100, 3}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (boolean transA : new boolean[] {false, true}) {
                float alpha = transA ? 0.5f : 1f, beta = transA ? 2f : 0f;
                float[] b = Problem.random(rnd, 3 * n + k + 11);
                int[] rows = new int[k + 2];
                for (int p = 0; p < k; p++) {
                    // mostly overlapping shifted rows (as a convolution's), some far away, one reversed run
                    rows[p] = p % 5 == 4 ? b.length - n - (p % 7) : (k - p) % (2 * n + 11);
                }
                float[] dense = new float[k * n];
                for (int p = 0; p < k; p++) {
                    System.arraycopy(b, rows[p], dense, p * n, n);
                }
                Problem q = new Problem(m, n, k, transA, false, alpha, beta, rnd.nextLong());
                float[] want = q.c.clone();
                GemmReference.sgemm(transA, false, m, n, k, alpha, q.a, q.aOff, q.lda, dense, 0, n, beta, want, q.cOff, q.ldc);
                float[] viaSgemm = q.c.clone();
                Parallel.setThreads(1);
                Gemm.sgemm(transA, false, m, n, k, alpha, q.a, q.aOff, q.lda, dense, 0, n, beta, viaSgemm, q.cOff, q.ldc);
                for (boolean scalar : new boolean[] {false, true}) {
                    float[] first = null;
                    for (int threads : new int[] {1, 2}) {
                        Parallel.setThreads(threads);
                        float[] got = q.c.clone();
                        if (scalar) {
                            Gemm.sgemmRowsScalar(transA, m, n, k, alpha, q.a, q.aOff, q.lda, b, rows, beta, got, q.cOff, q.ldc);
                        } else {
                            Gemm.sgemmRows(transA, m, n, k, alpha, q.a, q.aOff, q.lda, b, rows, beta, got, q.cOff, q.ldc);
                        }
                        String what = (scalar ? "scalar " : "simd ") + m + "x" + n + "x" + k + " transA=" + transA + " threads=" + threads;
                        for (int i = 0; i < got.length; i++) {
                            double tol = 1e-4 * Math.sqrt(k) + 1e-6;
                            assertTrue(Math.abs(got[i] - want[i]) <= tol, what + ": element " + i + " = " + got[i] + ", reference " + want[i]);
                        }
                        if (first == null) {
                            first = got;
                        } else {
                            assertArrayEquals(bits(first), bits(got), what + " vs 1 thread");
                        }
                        if (!scalar) {
                            assertArrayEquals(bits(viaSgemm), bits(got), what + " vs sgemm on the rows copied out");
                        }
                    }
                }
            }
        }
    }

    /** {@link Gemm#sgemmRowsA} (SIMD and scalar, B plain and transposed) against the reference and {@link Gemm#sgemm}. */
    @Test
    void rowsOfAVariantMatchesTheReferenceWhereverTheRowsOfALie() {
        SplittableRandom rnd = new SplittableRandom(8);
        int[][] shapes = {{1, 1, 1}, {17, 31, 29}, {4, 1, 9}, {576, 64, 1078}, {7, 40, 1500}, {70, 100, 3}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], k = sh[2];
            for (boolean transB : new boolean[] {false, true}) {
                float[] a = Problem.random(rnd, 2 * k + 13);
                int[] rows = new int[m];
                for (int i = 0; i < m; i++) {
                    rows[i] = i % 3 == 2 ? a.length - k - (i % 5) : (7 * i) % (k + 13);
                }
                float[] dense = new float[m * k];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(a, rows[i], dense, i * k, k);
                }
                Problem q = new Problem(m, n, k, false, transB, 1f, 0f, rnd.nextLong());
                float[] want = q.c.clone(), viaSgemm = q.c.clone();
                GemmReference.sgemm(false, transB, m, n, k, 1f, dense, 0, k, q.b, q.bOff, q.ldb, 0f, want, q.cOff, q.ldc);
                Parallel.setThreads(1);
                Gemm.sgemm(false, transB, m, n, k, 1f, dense, 0, k, q.b, q.bOff, q.ldb, 0f, viaSgemm, q.cOff, q.ldc);
                for (boolean scalar : new boolean[] {false, true}) {
                    float[] first = null;
                    for (int threads : new int[] {1, 2}) {
                        Parallel.setThreads(threads);
                        float[] got = q.c.clone();
                        if (scalar) {
                            Gemm.sgemmRowsAScalar(m, n, k, 1f, a, rows, transB, q.b, q.bOff, q.ldb, 0f, got, q.cOff, q.ldc);
                        } else {
                            Gemm.sgemmRowsA(m, n, k, 1f, a, rows, transB, q.b, q.bOff, q.ldb, 0f, got, q.cOff, q.ldc);
                        }
                        String what = (scalar ? "scalar " : "simd ") + m + "x" + n + "x" + k + " transB=" + transB + " threads=" + threads;
                        for (int i = 0; i < got.length; i++) {
                            double tol = 1e-4 * Math.sqrt(k) + 1e-6;
                            assertTrue(Math.abs(got[i] - want[i]) <= tol, what + ": element " + i + " = " + got[i] + ", reference " + want[i]);
                        }
                        if (first == null) {
                            first = got;
                        } else {
                            assertArrayEquals(bits(first), bits(got), what + " vs 1 thread");
                        }
                        if (!scalar && m * n * k >= Gemm.SMALL_MACS) {
                            assertArrayEquals(bits(viaSgemm), bits(got), what + " vs sgemm on the rows copied out");
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowsVariantRejectsRowsOutsideTheArray() {
        float[] a = new float[6], b = new float[10], c = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmRows(false, 2, 2, 3, 1f, a, 0, 3, b, new int[] {0, 9, 1}, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmRows(false, 2, 2, 3, 1f, a, 0, 3, b, new int[] {0, 1}, 0f, c, 0, 2));
        e = assertThrows(IllegalArgumentException.class,
                () -> Gemm.sgemmRowsA(2, 2, 3, 1f, b, new int[] {8, 0}, false, a, 0, 2, 0f, c, 0, 2));
        assertTrue(e.getMessage().contains("row 0 of A"), e.getMessage());
    }

    private static int[] bits(float[] x) {
        int[] r = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            r[i] = Float.floatToRawIntBits(x[i]);
        }
        return r;
    }

    /**
     * One product with every operand inside a larger array: an odd offset, and leading
     * dimensions a few elements longer than the rows, so padding must stay untouched.
     */
    static final class Problem {
        final int m, n, k;
        final boolean transA, transB;
        final float alpha, beta;
        final float[] a, b, c;
        final int aOff, lda, bOff, ldb, cOff, ldc;

        Problem(int m, int n, int k, boolean transA, boolean transB, float alpha, float beta, long seed) {
            this.m = m;
            this.n = n;
            this.k = k;
            this.transA = transA;
            this.transB = transB;
            this.alpha = alpha;
            this.beta = beta;
            SplittableRandom rnd = new SplittableRandom(seed);
            int aRows = transA ? k : m, aCols = transA ? m : k;
            int bRows = transB ? n : k, bCols = transB ? k : n;
            aOff = 3;
            lda = aCols + 2;
            bOff = 5;
            ldb = bCols + 3;
            cOff = 7;
            ldc = n + 1;
            a = random(rnd, aOff + aRows * lda + 4);
            b = random(rnd, bOff + bRows * ldb + 4);
            c = random(rnd, cOff + m * ldc + 4);
        }

        private static float[] random(SplittableRandom rnd, int size) {
            float[] x = new float[size];
            for (int i = 0; i < size; i++) {
                x[i] = (float) rnd.nextDouble(-1, 1);
            }
            return x;
        }

        float a(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        float b(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** The product on {@code threads} threads, into a copy of C. */
        float[] run(boolean scalar, int threads) {
            Parallel.setThreads(threads);
            return runHere(scalar);
        }

        float[] runHere(boolean scalar) {
            float[] out = c.clone();
            if (scalar) {
                Gemm.sgemmScalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            } else {
                Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
            }
            return out;
        }

        /**
         * Tolerance: both sides sum K products in float, in different orders (and the SIMD
         * kernel fuses multiply and add). Each sum is within K*u*sum|a*b| of the exact one
         * (u = 2^-24, the classic bound for recursive summation); alpha and beta add two
         * roundings. So two correct results differ by at most 2*(K+2)*u*(|alpha|*sum|a*b| +
         * |beta*c|): a bound that grows with K as the error does, and is tight enough that a
         * single wrong or missing product (about |a*b|, i.e. ~K times larger) fails it.
         */
        void check(boolean scalar, int threads) {
            checkWith(threads, out -> {
                if (scalar) {
                    Gemm.sgemmScalar(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
                } else {
                    Gemm.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, out, cOff, ldc);
                }
            }, scalar ? "scalar" : "simd");
        }

        GemmKernel kernel(boolean scalar) {
            return scalar ? new GemmScalarKernel()
                    : Vectorization.load(GemmKernel.class, "dev.lanes.tensor.simd.GemmSimdKernel", new GemmScalarKernel());
        }

        void checkWith(int threads, java.util.function.Consumer<float[]> product, String path) {
            float[] want = c.clone();
            GemmReference.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, want, cOff, ldc);
            Parallel.setThreads(threads);
            float[] got = c.clone();
            product.accept(got);
            String what = path + " " + m + "x" + n + "x" + k + " transA=" + transA
                    + " transB=" + transB + " alpha=" + alpha + " beta=" + beta + " threads=" + threads;
            double u = Math.ulp(1f) / 2;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double mag = 0;
                    for (int p = 0; p < k; p++) {
                        mag += Math.abs((double) a(i, p) * b(p, j));
                    }
                    int ci = cOff + i * ldc + j;
                    double c0 = beta == 0f ? 0 : Math.abs((double) beta * c[ci]);
                    double tol = 2 * (k + 2) * u * (Math.abs(alpha) * mag + c0) + Float.MIN_NORMAL;
                    float g = got[ci], w = want[ci];
                    if (!(Math.abs(g - w) <= tol)) {
                        fail(what + ": C[" + i + "][" + j + "] = " + g + ", reference " + w + ", tolerance " + tol);
                    }
                }
            }
            for (int x = 0; x < got.length; x++) {
                int row = (x - cOff) / ldc, col = (x - cOff) % ldc;
                boolean inside = x >= cOff && row < m && col < n;
                if (!inside && Float.floatToRawIntBits(got[x]) != Float.floatToRawIntBits(c[x])) {
                    fail(what + ": element " + x + " outside C changed");
                }
            }
        }
    }
}
