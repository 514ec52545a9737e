package dev.lanes.zoo.bench;

/**
 * A native SGEMM to compare Lanes with in {@code lanes bench gemm}. The library modules
 * never link to native code: an implementation (OpenBLAS in the {@code perf} module) is
 * found at run time with {@link java.util.ServiceLoader}, through
 * {@code META-INF/services/dev.lanes.zoo.bench.NativeSgemm}.
 *
 * <p>The arguments mean what they mean for {@code dev.lanes.tensor.Gemm.sgemm}: row-major,
 * {@code C = alpha * op(A) * op(B) + beta * C}.
 */
public interface NativeSgemm {
    /** Library, version and kernel, e.g. {@code "OpenBLAS 0.3.31 (core Zen)"}. */
    String name();

    /** Threads the native library uses from now on. */
    void setThreads(int threads);

    /** The product on Java arrays: copies the operands to native memory and C back. */
    void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
               float beta, float[] c, int cOff, int ldc);

    /**
     * Copies the operands to native memory once and returns the product on those copies,
     * so that timing {@link Prepared#run} measures the native SGEMM alone, not the copies.
     */
    Prepared prepare(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float beta, float[] c, int cOff, int ldc);

    /** A product ready to run on native copies of its operands. */
    interface Prepared extends AutoCloseable {
        /** Runs the product on the native copies (C is updated in native memory). */
        void run();

        /** Copies the native C back into the array given to {@link #prepare}. */
        void copyResultBack();

        /** Frees the native copies. */
        @Override
        void close();
    }
}
