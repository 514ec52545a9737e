package dev.lanes.tensor.conv;

import dev.lanes.tensor.Gemm;
import dev.lanes.tensor.Parallel;

/**
 * Convolution as matrix products: im2col unfolds a sample into a column matrix
 * {@code [cIn*kh*kw, outH*outW]} and, per group, the weight {@code [cOut/g, cIn/g*kh*kw]}
 * multiplies it. Backward-data multiplies by the transposed weight and folds the columns
 * back with col2im; backward-weights multiplies the output gradient by the transposed
 * columns. A 1x1 convolution with stride 1 and no padding needs no unfolding: the sample
 * itself is the column matrix.
 *
 * <p>Threads and determinism: forward and backward-data work on whole samples, one task
 * each (or, with fewer samples than threads, one sample after another on the multi-threaded
 * GEMM, which gives the same bits). Backward-weights sums over the batch: the samples are
 * cut into chunks whose size depends on the shape alone, each chunk's product goes to its
 * own partial buffer, and the partials are added to {@code dw} in chunk order; threads only
 * decide who computes a chunk.
 */
public final class ConvIm2col {
    /** The matrix product the kernels call, with {@link Gemm#sgemm}'s arguments. */
    @FunctionalInterface
    public interface Sgemm {
        void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                   float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                   float beta, float[] c, int cOff, int ldc);
    }

    /** Lanes' own SGEMM. */
    public static final Sgemm LANES = Gemm::sgemm;

    /** Backward-weights chunks hold enough samples for a product of at least this depth... */
    static final int CHUNK_COLS = 1024;
    /** ...unless their column matrix would exceed this many floats (16 MiB). */
    static final int CHUNK_FLOATS = 4 << 20;

    private ConvIm2col() {
    }

    public static void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        forward(LANES, true, s, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    public static void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        backwardData(LANES, true, s, dy, dyOff, w, wOff, dx, dxOff);
    }

    public static void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                       float[] dw, int dwOff, float[] db, int dbOff) {
        backwardWeights(LANES, true, s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
    }

    /**
     * {@code y = conv(x, w) + bias} on the given GEMM. With {@code samplesInParallel} the
     * samples are spread over Lanes' threads (each calling {@code gemm} single-threaded);
     * without, they run one after another on the calling thread (for a GEMM that has its own threads).
     */
    public static void forward(Sgemm gemm, boolean samplesInParallel, ConvShape s, float[] x, int xOff,
                               float[] w, int wOff, float[] bias, int bOff, float[] y, int yOff) {
        forEachSample(s, samplesInParallel, b -> forwardSample(gemm, s, x, xOff, w, wOff, bias, bOff, y, yOff, b));
    }

    /** {@code dx += conv_transpose(dy, w)}. */
    public static void backwardData(Sgemm gemm, boolean samplesInParallel, ConvShape s, float[] dy, int dyOff,
                                    float[] w, int wOff, float[] dx, int dxOff) {
        forEachSample(s, samplesInParallel, b -> backwardDataSample(gemm, s, dy, dyOff, w, wOff, dx, dxOff, b));
    }

    /** {@code dw += dL/dw}, {@code db += sum of dy per channel} ({@code db} may be null). */
    public static void backwardWeights(Sgemm gemm, boolean samplesInParallel, ConvShape s, float[] x, int xOff,
                                       float[] dy, int dyOff, float[] dw, int dwOff, float[] db, int dbOff) {
        if (db != null) {
            biasGradient(s, dy, dyOff, db, dbOff);
        }
        sumChunks(s, samplesPerChunk(s), samplesInParallel,
                (b0, b1, out, outOff) -> weightChunk(gemm, s, x, xOff, dy, dyOff, b0, b1, out, outOff), dw, dwOff);
    }

    /** One chunk's weight gradient: samples {@code [b0, b1)} into {@code out} as {@code [g][cIn/g*kh*kw][cOut/g]}. */
    interface ChunkBody {
        void run(int b0, int b1, float[] out, int outOff);
    }

    /**
     * {@code dw += } the chunks' gradients, chunk by chunk in order: the batch cut into chunks of
     * {@code per} samples (a function of the shape alone), each computed by one task into its
     * own partial buffer, then added to {@code dw} in chunk order; threads only decide who
     * computes a chunk, so the sum has the same bits on any thread count.
     */
    static void sumChunks(ConvShape s, int per, boolean inParallel, ChunkBody body, float[] dw, int dwOff) {
        int chunks = Math.ceilDiv(s.n(), per);
        int size = s.cOut() * (s.cIn() / s.groups()) * s.kh() * s.kw();
        // The wave size only bounds the memory: partials are added in chunk order whatever it is.
        int wave = inParallel ? Math.min(chunks, Parallel.threads()) : 1;
        float[] partial = ConvScratch.get().partial(wave * size);
        for (int c0 = 0; c0 < chunks; c0 += wave) {
            int first = c0, count = Math.min(wave, chunks - c0);
            if (count == 1) {
                body.run(first * per, Math.min(s.n(), (first + 1) * per), partial, 0);
            } else {
                Parallel.parallelFor(count, 1, (i0, i1) -> {
                    for (int i = i0; i < i1; i++) {
                        int b0 = (first + i) * per;
                        body.run(b0, Math.min(s.n(), b0 + per), partial, i * size);
                    }
                });
            }
            for (int i = 0; i < count; i++) {
                addTransposed(s, partial, i * size, dw, dwOff);
            }
        }
    }

    /** {@code dw[g][co][j] += t[g][j][co]}: a chunk's gradient, stored transposed per group, onto {@code dw}. */
    private static void addTransposed(ConvShape s, float[] t, int tOff, float[] dw, int dwOff) {
        int coutG = s.cOut() / s.groups(), kg = s.cIn() / s.groups() * s.kh() * s.kw();
        for (int g = 0; g < s.groups(); g++) {
            int base = g * coutG * kg;
            for (int co = 0; co < coutG; co++) {
                int d = dwOff + base + co * kg, src = tOff + base + co;
                for (int j = 0; j < kg; j++) {
                    dw[d + j] += t[src + j * coutG];
                }
            }
        }
    }

    /** Samples per backward-weights chunk: a function of the shape alone (never of the thread count). */
    static int samplesPerChunk(ConvShape s) {
        int ohw = s.outH() * s.outW();
        long colsPerSample = (long) s.cIn() * s.kh() * s.kw() * ohw;
        int per = Math.ceilDiv(CHUNK_COLS, ohw);
        per = (int) Math.min(per, Math.max(1, CHUNK_FLOATS / colsPerSample));
        return Math.min(per, s.n());
    }

    static boolean pointwise(ConvShape s) {
        return s.kh() == 1 && s.kw() == 1 && s.strideH() == 1 && s.strideW() == 1 && s.padH() == 0 && s.padW() == 0;
    }

    private interface SampleBody {
        void run(int b);
    }

    private static void forEachSample(ConvShape s, boolean samplesInParallel, SampleBody body) {
        if (samplesInParallel && s.n() > 1 && s.n() >= Parallel.threads()) {
            Parallel.parallelFor(s.n(), 1, (b0, b1) -> {
                for (int b = b0; b < b1; b++) {
                    body.run(b);
                }
            });
        } else {
            for (int b = 0; b < s.n(); b++) {
                body.run(b);
            }
        }
    }

    private static void forwardSample(Sgemm gemm, ConvShape s, float[] x, int xOff, float[] w, int wOff,
                                      float[] bias, int bOff, float[] y, int yOff, int b) {
        int ohw = s.outH() * s.outW(), g = s.groups();
        int cinG = s.cIn() / g, coutG = s.cOut() / g, kg = cinG * s.kh() * s.kw();
        int xs = xOff + b * s.cIn() * s.h() * s.w();
        float[] col = x;
        int colOff = xs;
        if (!pointwise(s)) {
            col = ConvScratch.get().col(s.cIn() * s.kh() * s.kw() * ohw);
            colOff = 0;
            Im2col.im2col(s, x, xs, col, 0, ohw);
        }
        int ys = yOff + b * s.cOut() * ohw;
        for (int gi = 0; gi < g; gi++) {
            gemm.sgemm(false, false, coutG, ohw, kg, 1f, w, wOff + gi * coutG * kg, kg,
                    col, colOff + gi * kg * ohw, ohw, 0f, y, ys + gi * coutG * ohw, ohw);
        }
        if (bias != null) {
            for (int co = 0; co < s.cOut(); co++) {
                float v = bias[bOff + co];
                int row = ys + co * ohw;
                for (int i = 0; i < ohw; i++) {
                    y[row + i] += v;
                }
            }
        }
    }

    private static void backwardDataSample(Sgemm gemm, ConvShape s, float[] dy, int dyOff, float[] w, int wOff,
                                           float[] dx, int dxOff, int b) {
        int ohw = s.outH() * s.outW(), hw = s.h() * s.w(), g = s.groups();
        int cinG = s.cIn() / g, coutG = s.cOut() / g, kg = cinG * s.kh() * s.kw();
        int dys = dyOff + b * s.cOut() * ohw, dxs = dxOff + b * s.cIn() * hw;
        if (pointwise(s)) {
            for (int gi = 0; gi < g; gi++) {
                gemm.sgemm(true, false, cinG, ohw, coutG, 1f, w, wOff + gi * coutG * kg, kg,
                        dy, dys + gi * coutG * ohw, ohw, 1f, dx, dxs + gi * cinG * hw, hw);
            }
            return;
        }
        float[] col = ConvScratch.get().col(s.cIn() * s.kh() * s.kw() * ohw);
        for (int gi = 0; gi < g; gi++) {
            gemm.sgemm(true, false, kg, ohw, coutG, 1f, w, wOff + gi * coutG * kg, kg,
                    dy, dys + gi * coutG * ohw, ohw, 0f, col, gi * kg * ohw, ohw);
        }
        Im2col.col2imAdd(s, col, 0, ohw, dx, dxs);
    }

    /**
     * {@code out = sum over samples [b0, b1) of (dy_b * col_b^T)^T}, per group, as
     * {@code [cIn/g*kh*kw, cOut/g]}: the columns times the transposed output gradient. In this
     * orientation the large operand (the columns) is packed row by row and only the small one
     * (the output gradient) is gathered; the other way round, packing gathered the columns
     * and cost more than the product on narrow layers. The samples' columns (and
     * output-gradient rows) sit side by side: one product of depth {@code (b1 - b0) * outH * outW}.
     */
    private static void weightChunk(Sgemm gemm, ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                    int b0, int b1, float[] out, int outOff) {
        int ohw = s.outH() * s.outW(), hw = s.h() * s.w(), g = s.groups();
        int cinG = s.cIn() / g, coutG = s.cOut() / g, kg = cinG * s.kh() * s.kw();
        int count = b1 - b0, depth = count * ohw;
        ConvScratch scratch = ConvScratch.get();
        float[] a = dy;
        int aOff = dyOff + b0 * s.cOut() * ohw;
        if (count > 1) {
            a = scratch.rows(s.cOut() * depth);
            aOff = 0;
            for (int j = 0; j < count; j++) {
                for (int co = 0; co < s.cOut(); co++) {
                    System.arraycopy(dy, dyOff + ((b0 + j) * s.cOut() + co) * ohw, a, co * depth + j * ohw, ohw);
                }
            }
        }
        float[] col = x;
        int colOff = xOff + b0 * s.cIn() * hw;
        if (count > 1 || !pointwise(s)) {
            col = scratch.col(s.cIn() * s.kh() * s.kw() * depth);
            colOff = 0;
            for (int j = 0; j < count; j++) {
                Im2col.im2col(s, x, xOff + (b0 + j) * s.cIn() * hw, col, j * ohw, depth);
            }
        }
        for (int gi = 0; gi < g; gi++) {
            gemm.sgemm(false, true, kg, coutG, depth, 1f, col, colOff + gi * kg * depth, depth,
                    a, aOff + gi * coutG * depth, depth, 0f, out, outOff + gi * coutG * kg, coutG);
        }
    }

    /**
     * {@code db[co] += sum of dy over samples and positions}. Channels run in parallel, one task
     * each; a channel's sum keeps eight running partial sums (position {@code i} goes to partial
     * {@code i % 8}, a row's last {@code ohw % 8} to partial 0; samples in order), added pairwise at the end: a fixed order, so the same
     * bits on any thread count, and eight independent additions in flight instead of one chain.
     */
    static void biasGradient(ConvShape s, float[] dy, int dyOff, float[] db, int dbOff) {
        int ohw = s.outH() * s.outW(), main = ohw & ~7;
        Parallel.parallelFor(s.cOut(), 1, (c0, c1) -> {
            for (int co = c0; co < c1; co++) {
                float p0 = 0f, p1 = 0f, p2 = 0f, p3 = 0f, p4 = 0f, p5 = 0f, p6 = 0f, p7 = 0f;
                for (int b = 0; b < s.n(); b++) {
                    int row = dyOff + (b * s.cOut() + co) * ohw;
                    for (int i = 0; i < main; i += 8) {
                        p0 += dy[row + i];
                        p1 += dy[row + i + 1];
                        p2 += dy[row + i + 2];
                        p3 += dy[row + i + 3];
                        p4 += dy[row + i + 4];
                        p5 += dy[row + i + 5];
                        p6 += dy[row + i + 6];
                        p7 += dy[row + i + 7];
                    }
                    for (int i = main; i < ohw; i++) {
                        p0 += dy[row + i];
                    }
                }
                db[dbOff + co] += ((p0 + p1) + (p2 + p3)) + ((p4 + p5) + (p6 + p7));
            }
        });
    }
}
