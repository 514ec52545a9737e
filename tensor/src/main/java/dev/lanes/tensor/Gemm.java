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
