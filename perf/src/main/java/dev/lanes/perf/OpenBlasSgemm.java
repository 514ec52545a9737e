package dev.lanes.perf;

import dev.lanes.zoo.bench.NativeSgemm;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * OpenBLAS {@code cblas_sgemm} (org.bytedeco:openblas, the JavaCPP build with the native
 * library) as the baseline of {@code lanes bench gemm}; registered in
 * {@code META-INF/services/dev.lanes.zoo.bench.NativeSgemm}.
 */
public final class OpenBlasSgemm implements NativeSgemm {
    private FloatPointer scratchA;
    private FloatPointer scratchB;
    private FloatPointer scratchC;

    @Override
    public String name() {
        // A DYNAMIC_ARCH build: the kernel is picked at run time (OPENBLAS_VERBOSE=2 prints it).
        return "OpenBLAS " + openblas_nolapack.OPENBLAS_VERSION.trim().replaceFirst("^OpenBLAS ", "")
                + " (org.bytedeco:openblas)";
    }

    @Override
    public void setThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + threads);
        }
        openblas_nolapack.blas_set_num_threads(threads);
    }

    /** Copies through scratch buffers that grow on demand and are kept for the next call. */
    @Override
    public synchronized void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                   float beta, float[] c, int cOff, int ldc) {
        scratchA = fill(scratchA, a);
        scratchB = fill(scratchB, b);
        scratchC = fill(scratchC, c);
        call(transA, transB, m, n, k, alpha, scratchA.position(aOff), lda, scratchB.position(bOff), ldb,
                beta, scratchC.position(cOff), ldc);
        scratchC.position(0).get(c);
    }

    @Override
    public Prepared prepare(boolean transA, boolean transB, int m, int n, int k, float alpha,
                            float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                            float beta, float[] c, int cOff, int ldc) {
        FloatPointer pa = new FloatPointer(a);
        FloatPointer pb = new FloatPointer(b);
        FloatPointer pc = new FloatPointer(c);
        return new Prepared() {
            @Override
            public void run() {
                call(transA, transB, m, n, k, alpha, pa.position(aOff), lda, pb.position(bOff), ldb,
                        beta, pc.position(cOff), ldc);
            }

            @Override
            public void copyResultBack() {
                pc.position(0).get(c);
            }

            @Override
            public void close() {
                pa.close();
                pb.close();
                pc.close();
            }
        };
    }

    private static FloatPointer fill(FloatPointer p, float[] x) {
        if (p == null || p.capacity() < x.length) {
            if (p != null) {
                p.close();
            }
            p = new FloatPointer(Math.max(1, x.length));
        }
        p.position(0).put(x);
        return p;
    }

    private static void call(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             FloatPointer a, int lda, FloatPointer b, int ldb, float beta, FloatPointer c, int ldc) {
        openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor,
                transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans,
                m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
