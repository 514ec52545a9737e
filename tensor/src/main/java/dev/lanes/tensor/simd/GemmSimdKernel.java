package dev.lanes.tensor.simd;

import dev.lanes.tensor.GemmKernel;
import dev.lanes.tensor.GemmPacking;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD SGEMM kernel: a 4-row x 2-vector register tile (4 x 16 on AVX2, 4 x 32 on
 * AVX-512) of broadcast-FMAs over packed panels, and an unpacked path for small products.
 *
 * <p>Why this shape: C2 hoists the four A broadcasts of a k step, so a tile needs
 * accumulators + 2 B vectors + 4 broadcasts registers: 8 + 2 + 4 = 14 of the 16 ymm
 * registers. Tiles with 10 or more accumulators (6 x 16, 4 x 24) spill an accumulator in the
 * k loop and run at half speed. Why {@link #tile} is one large method: when C2 inlines the
 * micro-kernel into the driver's tile loops it allocates registers for the whole loop nest
 * and the k loop slows to about half; whether it inlines used to depend on compile order,
 * which made JVM launches bimodal. The bytecode of {@code tile} is kept above C2's
 * {@code FreqInlineSize} (325 bytes), so it is never inlined and always compiled on its
 * own ({@code GemmSimdKernelTest} pins that size).
 */
public final class GemmSimdKernel implements GemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 4;
    private static final int NR = 2 * L;

    public GemmSimdKernel() {
    }

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
        return "SIMD " + S.vectorBitSize() + "-bit, tile " + MR + "x" + NR;
    }

    @Override
    public void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] pa) {
        GemmPacking.packA4(transA, a, aOff, lda, i0, mc, p0, kc, pa);
    }

    /**
     * Rows of B are copied two vectors at a time, row by row across all the panels: reading
     * each row of B in order lets the hardware prefetcher stream it (panel by panel, every
     * 64-byte piece would come from a different page, where prefetchers stop). B stored
     * transposed is gathered.
     */
    @Override
    public void packARows(float[] a, int[] aRows, int i0, int mc, int p0, int kc, float[] pa) {
        GemmPacking.packARows4(a, aRows, i0, mc, p0, kc, pa);
    }

    @Override
    public void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                      float[] pb, int pbOff, int from, int to) {
        if (transB) {
            GemmPacking.packBTransposed(b, bOff, ldb, p0, kc, j0, nc, NR, pb, pbOff, from, to);
            return;
        }
        int full = Math.min(to, nc / NR);
        for (int p = 0; p < kc; p++) {
            int s = bOff + (p0 + p) * ldb + j0;
            for (int panel = from; panel < full; panel++) {
                int jp = panel * NR;
                int d = pbOff + jp * kc + p * NR;
                FloatVector.fromArray(S, b, s + jp).intoArray(pb, d);
                FloatVector.fromArray(S, b, s + jp + L).intoArray(pb, d + L);
            }
        }
        for (int panel = Math.max(from, full); panel < to; panel++) {
            int jp = panel * NR;
            int cols = nc - jp;
            for (int p = 0; p < kc; p++) {
                int s = bOff + (p0 + p) * ldb + j0 + jp;
                int d = pbOff + jp * kc + p * NR;
                for (int q = 0; q < NR; q++) {
                    pb[d + q] = q < cols ? b[s + q] : 0f;
                }
            }
        }
    }

    /** {@link #packB}'s row-by-row copy, each row from its own start. */
    @Override
    public void packBRows(float[] b, int[] bRows, int p0, int kc, int j0, int nc, float[] pb, int pbOff,
                          int from, int to) {
        int full = Math.min(to, nc / NR);
        for (int p = 0; p < kc; p++) {
            int s = bRows[p0 + p] + j0;
            for (int panel = from; panel < full; panel++) {
                int jp = panel * NR;
                int d = pbOff + jp * kc + p * NR;
                FloatVector.fromArray(S, b, s + jp).intoArray(pb, d);
                FloatVector.fromArray(S, b, s + jp + L).intoArray(pb, d + L);
            }
        }
        if (full < to) {
            GemmPacking.packBRows(b, bRows, p0, kc, j0, nc, NR, pb, pbOff, Math.max(from, full), to);
        }
    }

    @Override
    public void tile(int kc, float[] pa, int paOff, float[] pb, int pbOff,
                     float alpha, float beta, float[] c, int cOff, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            int ap = paOff + p * MR;
            int bp = pbOff + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, pb, bp);
            FloatVector b1 = FloatVector.fromArray(S, pb, bp + L);
            FloatVector a0 = FloatVector.broadcast(S, pa[ap]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, pa[ap + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, pa[ap + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, pa[ap + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        int r1 = cOff + ldc;
        int r2 = r1 + ldc;
        int r3 = r2 + ldc;
        FloatVector va = FloatVector.broadcast(S, alpha);
        if (beta == 0f) {
            c00.mul(va).intoArray(c, cOff);
            c01.mul(va).intoArray(c, cOff + L);
            c10.mul(va).intoArray(c, r1);
            c11.mul(va).intoArray(c, r1 + L);
            c20.mul(va).intoArray(c, r2);
            c21.mul(va).intoArray(c, r2 + L);
            c30.mul(va).intoArray(c, r3);
            c31.mul(va).intoArray(c, r3 + L);
        } else {
            FloatVector vb = FloatVector.broadcast(S, beta);
            c00.mul(va).add(FloatVector.fromArray(S, c, cOff).mul(vb)).intoArray(c, cOff);
            c01.mul(va).add(FloatVector.fromArray(S, c, cOff + L).mul(vb)).intoArray(c, cOff + L);
            c10.mul(va).add(FloatVector.fromArray(S, c, r1).mul(vb)).intoArray(c, r1);
            c11.mul(va).add(FloatVector.fromArray(S, c, r1 + L).mul(vb)).intoArray(c, r1 + L);
            c20.mul(va).add(FloatVector.fromArray(S, c, r2).mul(vb)).intoArray(c, r2);
            c21.mul(va).add(FloatVector.fromArray(S, c, r2 + L).mul(vb)).intoArray(c, r2 + L);
            c30.mul(va).add(FloatVector.fromArray(S, c, r3).mul(vb)).intoArray(c, r3);
            c31.mul(va).add(FloatVector.fromArray(S, c, r3 + L).mul(vb)).intoArray(c, r3 + L);
        }
    }

    @Override
    public boolean small(boolean transA, boolean transB, int m, int n, int k, float alpha,
                         float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                         float beta, float[] c, int cOff, int ldc) {
        if (!transB) {
            smallRows(transA, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return true;
        }
        if (!transA) {
            smallDots(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return true;
        }
        return false;
    }

    /** op(B) rows are contiguous: vectors along a row of C, four rows of C at a time. */
    private static void smallRows(boolean transA, int m, int n, int k, float alpha,
                                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                  float beta, float[] c, int cOff, int ldc) {
        int aRow = transA ? 1 : lda;
        int aStep = transA ? lda : 1;
        int nv = n - n % L;
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int a0 = aOff + i * aRow;
            int a1 = a0 + aRow;
            int a2 = a1 + aRow;
            int a3 = a2 + aRow;
            int c0 = cOff + i * ldc;
            for (int j = 0; j < nv; j += L) {
                FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                FloatVector acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    FloatVector bv = FloatVector.fromArray(S, b, bOff + p * ldb + j);
                    int ap = p * aStep;
                    acc0 = FloatVector.broadcast(S, a[a0 + ap]).fma(bv, acc0);
                    acc1 = FloatVector.broadcast(S, a[a1 + ap]).fma(bv, acc1);
                    acc2 = FloatVector.broadcast(S, a[a2 + ap]).fma(bv, acc2);
                    acc3 = FloatVector.broadcast(S, a[a3 + ap]).fma(bv, acc3);
                }
                store(acc0, alpha, beta, c, c0 + j);
                store(acc1, alpha, beta, c, c0 + ldc + j);
                store(acc2, alpha, beta, c, c0 + 2 * ldc + j);
                store(acc3, alpha, beta, c, c0 + 3 * ldc + j);
            }
            for (int r = 0; r < 4; r++) {
                scalarTail(a, a0 + r * aRow, aStep, b, bOff, ldb, nv, n, k, alpha, beta, c, c0 + r * ldc);
            }
        }
        for (; i < m; i++) {
            int ai = aOff + i * aRow;
            int ci = cOff + i * ldc;
            for (int j = 0; j < nv; j += L) {
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < k; p++) {
                    acc = FloatVector.broadcast(S, a[ai + p * aStep])
                            .fma(FloatVector.fromArray(S, b, bOff + p * ldb + j), acc);
                }
                store(acc, alpha, beta, c, ci + j);
            }
            scalarTail(a, ai, aStep, b, bOff, ldb, nv, n, k, alpha, beta, c, ci);
        }
    }

    /** Columns {@code from .. n} of one row of C, one element at a time. */
    private static void scalarTail(float[] a, int ai, int aStep, float[] b, int bOff, int ldb, int from, int n,
                                   int k, float alpha, float beta, float[] c, int ci) {
        for (int j = from; j < n; j++) {
            float acc = 0f;
            for (int p = 0; p < k; p++) {
                acc = Math.fma(a[ai + p * aStep], b[bOff + p * ldb + j], acc);
            }
            c[ci + j] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci + j];
        }
    }

    /**
     * op(B) = B^T and A not transposed: both operands are contiguous along K, so each element
     * of C is a dot product, four columns at a time. Lanes are summed in a fixed order (not
     * {@code reduceLanes}, whose order may differ between the interpreter and compiled code).
     */
    private static void smallDots(int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                                  float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        int kv = k - k % L;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                int b0 = bOff + j * ldb;
                int b1 = b0 + ldb;
                int b2 = b1 + ldb;
                int b3 = b2 + ldb;
                FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
                FloatVector acc2 = FloatVector.zero(S), acc3 = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L) {
                    FloatVector av = FloatVector.fromArray(S, a, ai + p);
                    acc0 = av.fma(FloatVector.fromArray(S, b, b0 + p), acc0);
                    acc1 = av.fma(FloatVector.fromArray(S, b, b1 + p), acc1);
                    acc2 = av.fma(FloatVector.fromArray(S, b, b2 + p), acc2);
                    acc3 = av.fma(FloatVector.fromArray(S, b, b3 + p), acc3);
                }
                storeDot(acc0, a, ai, b, b0, kv, k, alpha, beta, c, ci + j);
                storeDot(acc1, a, ai, b, b1, kv, k, alpha, beta, c, ci + j + 1);
                storeDot(acc2, a, ai, b, b2, kv, k, alpha, beta, c, ci + j + 2);
                storeDot(acc3, a, ai, b, b3, kv, k, alpha, beta, c, ci + j + 3);
            }
            for (; j < n; j++) {
                int bj = bOff + j * ldb;
                FloatVector acc = FloatVector.zero(S);
                for (int p = 0; p < kv; p += L) {
                    acc = FloatVector.fromArray(S, a, ai + p).fma(FloatVector.fromArray(S, b, bj + p), acc);
                }
                storeDot(acc, a, ai, b, bj, kv, k, alpha, beta, c, ci + j);
            }
        }
    }

    private static void storeDot(FloatVector acc, float[] a, int ai, float[] b, int bj, int kv, int k,
                                 float alpha, float beta, float[] c, int ci) {
        float sum = 0f;
        for (int l = 0; l < L; l++) {
            sum += acc.lane(l);
        }
        for (int p = kv; p < k; p++) {
            sum = Math.fma(a[ai + p], b[bj + p], sum);
        }
        c[ci] = beta == 0f ? alpha * sum : alpha * sum + beta * c[ci];
    }

    private static void store(FloatVector acc, float alpha, float beta, float[] c, int ci) {
        if (beta == 0f) {
            acc.mul(alpha).intoArray(c, ci);
        } else {
            acc.mul(alpha).add(FloatVector.fromArray(S, c, ci).mul(beta)).intoArray(c, ci);
        }
    }
}
