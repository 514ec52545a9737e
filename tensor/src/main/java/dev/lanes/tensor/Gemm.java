package dev.lanes.tensor;

/**
 * Single-precision GEMM, row-major: {@code C = alpha * op(A) * op(B) + beta * C} where
 * {@code op(X)} is X or its transpose. {@code op(A)} is M x K, {@code op(B)} is K x N, C is
 * M x N; the leading dimensions are the row lengths of the arrays as stored. With
 * {@code beta == 0} C is overwritten (NaNs in C do not propagate), as in BLAS.
 */
public final class Gemm {
    /** Products with fewer multiply-adds than this skip packing (see {@link GemmKernel#small}). */
    static final long SMALL_MACS = 32L * 32 * 32;

    private static final GemmKernel SCALAR = new GemmScalarKernel();
    private static final GemmKernel FAST =
            Vectorization.load(GemmKernel.class, "dev.lanes.tensor.simd.GemmSimdKernel", SCALAR);

    private Gemm() {
    }

    /**
     * The fastest SGEMM available: SIMD when the Vector API is present, else the blocked
     * scalar kernel. Multi-threaded on {@link Parallel}'s pool; single-threaded when called
     * from inside a parallel region. The result of every element is bit-identical on any
     * thread count. With {@code alpha == 0} or {@code K == 0}, A and B are not read.
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        run(FAST, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * The same product on the blocked scalar kernel, whatever SIMD support there is: the
     * twin the SIMD kernel is tested against, and the "blocked scalar" of the benchmarks.
     */
    public static void sgemmScalar(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        checkArgs(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        run(SCALAR, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /**
     * {@code C = alpha * op(A) * B + beta * C} where row {@code p} of B (K x N) is the
     * {@code N} floats from {@code b[bRows[p]]}: rows anywhere in one array, in any order, even
     * overlapping. A convolution reads its unfolded input this way straight from a padded
     * copy of the input (row {@code (c, ky, kx)} starts at channel {@code c}'s plane shifted by
     * the tap), where {@link #sgemm} would need the unfolded matrix written out first. Same
     * packing, kernel, threads and bits per element as {@link #sgemm}.
     */
    public static void sgemmRows(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                 float[] b, int[] bRows, float beta, float[] c, int cOff, int ldc) {
        checkRows(transA, m, n, k, a, aOff, lda, b, bRows, c, cOff, ldc);
        runRows(FAST, transA, m, n, k, alpha, a, aOff, lda, b, bRows, beta, c, cOff, ldc);
    }

    /**
     * {@code C = alpha * A * op(B) + beta * C} where row {@code i} of A (M x K) is the
     * {@code K} floats from {@code a[aRows[i]]} (see {@link #sgemmRows}): a convolution's weight
     * gradient multiplies its unfolded input, read in place, by the transposed output gradient.
     */
    public static void sgemmRowsA(int m, int n, int k, float alpha, float[] a, int[] aRows,
                                  boolean transB, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        checkRowsA(m, n, k, a, aRows, transB, b, bOff, ldb, c, cOff, ldc);
        runRowsA(FAST, m, n, k, alpha, a, aRows, transB, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** {@link #sgemmRowsA} on the blocked scalar kernel (the twin for the tests). */
    public static void sgemmRowsAScalar(int m, int n, int k, float alpha, float[] a, int[] aRows,
                                        boolean transB, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                        int ldc) {
        checkRowsA(m, n, k, a, aRows, transB, b, bOff, ldb, c, cOff, ldc);
        runRowsA(SCALAR, m, n, k, alpha, a, aRows, transB, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void runRowsA(GemmKernel kernel, int m, int n, int k, float alpha, float[] a, int[] aRows,
                                 boolean transB, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        GemmBlocked.sgemmRowsA(kernel, m, n, k, alpha, a, aRows, transB, b, bOff, ldb, beta, c, cOff, ldc);
    }

    private static void checkRowsA(int m, int n, int k, float[] a, int[] aRows, boolean transB,
                                   float[] b, int bOff, int ldb, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemmRowsA: negative size M=" + m + " N=" + n + " K=" + k);
        }
        checkMatrix("B", b, bOff, ldb, transB ? n : k, transB ? k : n, transB);
        checkMatrix("C", c, cOff, ldc, m, n, false);
        checkRowStarts("sgemmRowsA", "A", a, aRows, m, k);
    }

    /** Every one of the {@code count} rows of {@code length} floats lies inside {@code x}. */
    private static void checkRowStarts(String op, String name, float[] x, int[] starts, int count, int length) {
        if (starts.length < count) {
            throw new IllegalArgumentException(op + ": " + starts.length + " row starts for " + count + " rows of " + name);
        }
        for (int p = 0; p < count && length > 0; p++) {
            if (starts[p] < 0 || (long) starts[p] + length > x.length) {
                throw new IllegalArgumentException(op + ": row " + p + " of " + name + " (" + length + " floats from "
                        + starts[p] + ") lies outside its array of " + x.length);
            }
        }
    }

    /** {@link #sgemmRows} on the blocked scalar kernel (the twin for the tests). */
    public static void sgemmRowsScalar(boolean transA, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                       float[] b, int[] bRows, float beta, float[] c, int cOff, int ldc) {
        checkRows(transA, m, n, k, a, aOff, lda, b, bRows, c, cOff, ldc);
        runRows(SCALAR, transA, m, n, k, alpha, a, aOff, lda, b, bRows, beta, c, cOff, ldc);
    }

    private static void runRows(GemmKernel kernel, boolean transA, int m, int n, int k, float alpha,
                                float[] a, int aOff, int lda, float[] b, int[] bRows, float beta,
                                float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        GemmBlocked.sgemmRows(kernel, transA, m, n, k, alpha, a, aOff, lda, b, bRows, beta, c, cOff, ldc);
    }

    private static void checkRows(boolean transA, int m, int n, int k, float[] a, int aOff, int lda,
                                  float[] b, int[] bRows, float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemmRows: negative size M=" + m + " N=" + n + " K=" + k);
        }
        checkMatrix("A", a, aOff, lda, transA ? k : m, transA ? m : k, transA);
        checkMatrix("C", c, cOff, ldc, m, n, false);
        checkRowStarts("sgemmRows", "B", b, bRows, k, n);
    }

    /** What {@link #sgemm} runs on, e.g. {@code "SIMD 256-bit, tile 4x16"}. */
    public static String describe() {
        return FAST.describe();
    }

    private static void run(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0f) {
            scale(m, n, beta, c, cOff, ldc);
            return;
        }
        if ((long) m * n * k < SMALL_MACS
                && kernel.small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc)) {
            return;
        }
        GemmBlocked.sgemm(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** C = beta * C, with beta == 0 overwriting (NaNs in C do not survive). */
    private static void scale(int m, int n, float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = beta == 0f ? 0f : beta * c[ci + j];
            }
        }
    }

    /** Validates sizes, leading dimensions and that every addressed element lies inside its array. */
    static void checkArgs(boolean transA, boolean transB, int m, int n, int k,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float[] c, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("sgemm: negative size M=" + m + " N=" + n + " K=" + k);
        }
        int aRows = transA ? k : m;
        int aCols = transA ? m : k;
        int bRows = transB ? n : k;
        int bCols = transB ? k : n;
        checkMatrix("A", a, aOff, lda, aRows, aCols, transA);
        checkMatrix("B", b, bOff, ldb, bRows, bCols, transB);
        checkMatrix("C", c, cOff, ldc, m, n, false);
    }

    private static void checkMatrix(String name, float[] x, int off, int ld, int rows, int cols, boolean trans) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("sgemm: ld" + name.toLowerCase() + "=" + ld + " < " + cols
                    + " columns of " + name + (trans ? " (stored transposed, " : " (") + rows + " x " + cols + ")");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long last = (long) off + (long) (rows - 1) * ld + cols - 1;
        if (off < 0 || last >= x.length) {
            throw new IllegalArgumentException("sgemm: " + name + " (" + rows + " x " + cols + ", ld " + ld
                    + ", offset " + off + ") needs " + (last + 1) + " elements but its array has " + x.length);
        }
    }
}
