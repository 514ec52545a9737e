package dev.lanes.tensor;

/**
 * The scalar twin of {@code simd.GemmSimdKernel}: a 4 x 4 register tile of plain
 * multiply-adds (no {@code Math.fma}, which is a slow software routine on CPUs without FMA,
 * and those are among the machines that run this path). Behind {@link GemmBlocked} it is the
 * "blocked scalar" SGEMM of the benchmarks; it runs when SIMD is off.
 */
final class GemmScalarKernel implements GemmKernel {
    private static final int MR = 4;
    private static final int NR = 4;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String describe() {
        return "scalar, tile " + MR + "x" + NR;
    }

    @Override
    public void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] pa) {
        GemmPacking.packA4(transA, a, aOff, lda, i0, mc, p0, kc, pa);
    }

    @Override
    public void packARows(float[] a, int[] aRows, int i0, int mc, int p0, int kc, float[] pa) {
        GemmPacking.packARows4(a, aRows, i0, mc, p0, kc, pa);
    }

    @Override
    public void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      float[] pb, int pbOff, int from, int to) {
        GemmPacking.packB4(transB, b, bOff, ldb, p0, kc, j0, nc, pb, pbOff, from, to);
    }

    @Override
    public void packBRows(float[] b, int[] bRows, int p0, int kc, int j0, int nc, float[] pb, int pbOff,
                          int from, int to) {
        GemmPacking.packBRows(b, bRows, p0, kc, j0, nc, NR, pb, pbOff, from, to);
    }

    @Override
    public void tile(int kc, float[] pa, int paOff, float[] pb, int pbOff,
                     float alpha, float beta, float[] c, int cOff, int ldc) {
        float c00 = 0f, c01 = 0f, c02 = 0f, c03 = 0f;
        float c10 = 0f, c11 = 0f, c12 = 0f, c13 = 0f;
        float c20 = 0f, c21 = 0f, c22 = 0f, c23 = 0f;
        float c30 = 0f, c31 = 0f, c32 = 0f, c33 = 0f;
        for (int p = 0; p < kc; p++) {
            int ap = paOff + p * MR;
            int bp = pbOff + p * NR;
            float b0 = pb[bp], b1 = pb[bp + 1], b2 = pb[bp + 2], b3 = pb[bp + 3];
            float a0 = pa[ap];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            float a1 = pa[ap + 1];
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            float a2 = pa[ap + 2];
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            float a3 = pa[ap + 3];
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        storeRow(c, cOff, alpha, beta, c00, c01, c02, c03);
        storeRow(c, cOff + ldc, alpha, beta, c10, c11, c12, c13);
        storeRow(c, cOff + 2 * ldc, alpha, beta, c20, c21, c22, c23);
        storeRow(c, cOff + 3 * ldc, alpha, beta, c30, c31, c32, c33);
    }

    private static void storeRow(float[] c, int ci, float alpha, float beta, float x0, float x1, float x2, float x3) {
        if (beta == 0f) {
            c[ci] = alpha * x0;
            c[ci + 1] = alpha * x1;
            c[ci + 2] = alpha * x2;
            c[ci + 3] = alpha * x3;
        } else {
            c[ci] = alpha * x0 + beta * c[ci];
            c[ci + 1] = alpha * x1 + beta * c[ci + 1];
            c[ci + 2] = alpha * x2 + beta * c[ci + 2];
            c[ci + 3] = alpha * x3 + beta * c[ci + 3];
        }
    }

    /** Dot products over K with the strides of op(A) and op(B); handles every transpose. */
    @Override
    public boolean small(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda;
        int aStep = transA ? lda : 1;
        int bCol = transB ? ldb : 1;
        int bStep = transB ? 1 : ldb;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * aRow;
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                int bj = bOff + j * bCol;
                float acc = 0f;
                for (int p = 0; p < k; p++) {
                    acc += a[ai + p * aStep] * b[bj + p * bStep];
                }
                c[ci + j] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci + j];
            }
        }
        return true;
    }
}
