package dev.lanes.tensor;

/**
 * The scalar packing routines of {@link GemmKernel#packA} and {@link GemmKernel#packB}
 * (layouts documented there). Panel widths are literals where the kernels share them
 * (MR = 4, the scalar NR = 4): C2 only hoists bounds checks out of a loop whose index
 * scales the loop variable by a constant, and a packing loop with checks inside runs at
 * half speed or worse.
 */
public final class GemmPacking {
    private GemmPacking() {
    }

    /** {@link GemmKernel#packA} for MR = 4. */
    public static void packA4(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc,
                              float[] pa) {
        for (int ip = 0; ip < mc; ip += 4) {
            int rows = Math.min(4, mc - ip);
            int dst = ip * kc;
            if (transA) {
                int src = aOff + p0 * lda + i0 + ip;
                if (rows == 4) {
                    for (int p = 0; p < kc; p++) {
                        int s = src + p * lda;
                        int d = dst + p * 4;
                        pa[d] = a[s];
                        pa[d + 1] = a[s + 1];
                        pa[d + 2] = a[s + 2];
                        pa[d + 3] = a[s + 3];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        for (int r = 0; r < 4; r++) {
                            pa[dst + p * 4 + r] = r < rows ? a[src + p * lda + r] : 0f;
                        }
                    }
                }
            } else {
                int s0 = aOff + (i0 + ip) * lda + p0;
                if (rows == 4) {
                    int s1 = s0 + lda;
                    int s2 = s1 + lda;
                    int s3 = s2 + lda;
                    for (int p = 0; p < kc; p++) {
                        int d = dst + p * 4;
                        pa[d] = a[s0 + p];
                        pa[d + 1] = a[s1 + p];
                        pa[d + 2] = a[s2 + p];
                        pa[d + 3] = a[s3 + p];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        for (int r = 0; r < 4; r++) {
                            pa[dst + p * 4 + r] = r < rows ? a[s0 + r * lda + p] : 0f;
                        }
                    }
                }
            }
        }
    }

    /** {@link GemmKernel#packB} for NR = 4. */
    public static void packB4(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
                              float[] pb, int pbOff, int from, int to) {
        for (int panel = from; panel < to; panel++) {
            int jp = panel * 4;
            int cols = Math.min(4, nc - jp);
            int dst = pbOff + jp * kc;
            int colStep = transB ? ldb : 1;
            int rowStep = transB ? 1 : ldb;
            int src = bOff + (j0 + jp) * colStep + p0 * rowStep;
            if (cols == 4) {
                for (int p = 0; p < kc; p++) {
                    int s = src + p * rowStep;
                    int d = dst + p * 4;
                    pb[d] = b[s];
                    pb[d + 1] = b[s + colStep];
                    pb[d + 2] = b[s + 2 * colStep];
                    pb[d + 3] = b[s + 3 * colStep];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    for (int q = 0; q < 4; q++) {
                        pb[dst + p * 4 + q] = q < cols ? b[src + p * rowStep + q * colStep] : 0f;
                    }
                }
            }
        }
    }

    /**
     * {@link GemmKernel#packB} of B stored transposed (N x K), for any NR: each packed row
     * gathers one element from NR rows of B.
     */
    public static void packBTransposed(float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc, int nr,
                                       float[] pb, int pbOff, int from, int to) {
        for (int panel = from; panel < to; panel++) {
            int jp = panel * nr;
            int cols = Math.min(nr, nc - jp);
            int dst = pbOff + jp * kc;
            int src = bOff + (j0 + jp) * ldb + p0;
            for (int p = 0; p < kc; p++) {
                int d = dst + p * nr;
                int s = src + p;
                for (int q = 0; q < cols; q++) {
                    pb[d + q] = b[s + q * ldb];
                }
                for (int q = cols; q < nr; q++) {
                    pb[d + q] = 0f;
                }
            }
        }
    }

    /** {@link GemmKernel#packBRows} for any NR, one element at a time (the scalar kernel's, and the SIMD kernel's edge panels). */
    public static void packBRows(float[] b, int[] bRows, int p0, int kc, int j0, int nc, int nr,
                                 float[] pb, int pbOff, int from, int to) {
        for (int panel = from; panel < to; panel++) {
            int jp = panel * nr;
            int cols = Math.min(nr, nc - jp);
            int dst = pbOff + jp * kc;
            for (int p = 0; p < kc; p++) {
                int d = dst + p * nr;
                int s = bRows[p0 + p] + j0 + jp;
                for (int q = 0; q < cols; q++) {
                    pb[d + q] = b[s + q];
                }
                for (int q = cols; q < nr; q++) {
                    pb[d + q] = 0f;
                }
            }
        }
    }

    /** {@link GemmKernel#packARows} for MR = 4. */
    public static void packARows4(float[] a, int[] aRows, int i0, int mc, int p0, int kc, float[] pa) {
        for (int ip = 0; ip < mc; ip += 4) {
            int rows = Math.min(4, mc - ip);
            int dst = ip * kc;
            if (rows == 4) {
                int s0 = aRows[i0 + ip] + p0, s1 = aRows[i0 + ip + 1] + p0;
                int s2 = aRows[i0 + ip + 2] + p0, s3 = aRows[i0 + ip + 3] + p0;
                for (int p = 0; p < kc; p++) {
                    int d = dst + p * 4;
                    pa[d] = a[s0 + p];
                    pa[d + 1] = a[s1 + p];
                    pa[d + 2] = a[s2 + p];
                    pa[d + 3] = a[s3 + p];
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    for (int r = 0; r < 4; r++) {
                        pa[dst + p * 4 + r] = r < rows ? a[aRows[i0 + ip + r] + p0 + p] : 0f;
                    }
                }
            }
        }
    }
}
