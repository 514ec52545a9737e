package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Gemm;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.VectorMathKernels;

/**
 * Matrix products on {@link Gemm#sgemm}: transposes are GEMM flags, never copies. Backward
 * passes accumulate straight into the gradients with {@code beta = 1}.
 */
public final class MatMul {
    private static final VectorMathKernels K = VectorMath.kernels();

    private MatMul() {
    }

    /**
     * {@code y = x W^T + b} with x {@code [..., in]}, W {@code [out, in]} (PyTorch's layout), b
     * {@code [out]} or null; y {@code [..., out]}.
     */
    public static Var linear(Var x, Var w, Var b) {
        Tape t = Tape.of(x, w, b);
        Tensor xv = x.value(), wv = w.value();
        int[] xs = xv.shape();
        if (wv.rank() != 2 || xs.length < 1 || xs[xs.length - 1] != wv.dim(1)) {
            throw new IllegalArgumentException("linear: input " + Shapes.toString(xs) + " does not match weight "
                    + Shapes.toString(wv.shape()) + " ([out, in]: the last input dimension must be in)");
        }
        int in = wv.dim(1), outF = wv.dim(0), rows = xv.size() / Math.max(1, in);
        if (b != null && (b.rank() != 1 || b.dim(0) != outF)) {
            throw new IllegalArgumentException("linear: bias " + Shapes.toString(b.shape()) + " must be [" + outF + "]");
        }
        int[] ys = xs.clone();
        ys[ys.length - 1] = outF;
        Tensor y = t.alloc(ys);
        Gemm.sgemm(false, true, rows, outF, in, 1f, xv.data(), xv.offset(), in, wv.data(), wv.offset(), in,
                0f, y.data(), y.offset(), outF);
        if (b != null) {
            Tensor bv = b.value();
            addRowVector(y, bv, rows, outF);
        }
        t.addFlops(2L * rows * outF * in);
        Var out = t.output("linear", y, t.needsGrad(x, w, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                if (x.requiresGrad()) {
                    Tensor dx = t.gradOf(x);
                    Gemm.sgemm(false, false, rows, in, outF, 1f, dy.data(), dy.offset(), outF, wv.data(), wv.offset(), in,
                            1f, dx.data(), dx.offset(), in);
                }
                if (w.requiresGrad()) {
                    Tensor dw = t.gradOf(w);
                    Gemm.sgemm(true, false, outF, in, rows, 1f, dy.data(), dy.offset(), outF, xv.data(), xv.offset(), in,
                            1f, dw.data(), dw.offset(), in);
                }
                if (b != null && b.requiresGrad()) {
                    sumRowsInto(dy, rows, outF, t.gradOf(b));
                }
            });
        }
        return out;
    }

    /**
     * {@code C = op(A) op(B) + beta C} for one matrix of a batch. An outer product ({@code K = 1}:
     * the routing's agreement and coupling gradients, thousands per step) runs as one AXPY per
     * row of C, where GEMM's small-matrix path would compute {@code M * N} dot products of length
     * one; a narrow C is computed transposed (see below); everything else goes to {@link Gemm#sgemm}.
     */
    static void product(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                        float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        // with K = 1, op(A) is a column and op(B) a row: element i of the column lies at
        // aOff + i * (transA ? 1 : lda), element j of the row at bOff + j * (transB ? ldb : 1)
        if (k == 1 && (transB ? ldb : 1) == 1 && (beta == 0f || beta == 1f)) {
            int aStep = transA ? 1 : lda;
            for (int i = 0; i < m; i++) {
                float ai = a[aOff + i * aStep];
                if (beta == 0f) {
                    K.scale(ai, b, bOff, c, cOff + i * ldc, n);
                } else {
                    K.axpy(ai, b, bOff, c, cOff + i * ldc, n);
                }
            }
            return;
        }
        if (n < NARROW && m >= 4 * n && (long) m * n * k >= 4096) {
            // a narrow C (the capsule weights' gradients: [160, 8] per input capsule) wastes most
            // of GEMM's register tile; C^T = op(B)^T op(A)^T is wide, computed into per-thread
            // scratch and added back transposed
            float[] ct = SCRATCH.get();
            if (ct.length < m * n) {
                ct = new float[m * n];
                SCRATCH.set(ct);
            }
            Gemm.sgemm(!transB, !transA, n, m, k, 1f, b, bOff, ldb, a, aOff, lda, 0f, ct, 0, m);
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) {
                    c[ci + j] = beta == 0f ? ct[j * m + i] : beta * c[ci + j] + ct[j * m + i];
                }
            }
            return;
        }
        Gemm.sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** Products with fewer output columns than this (and at least 4 times as many rows) run transposed. */
    static final int NARROW = 16;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    /** {@code y[r, :] += v} for every row r. */
    static void addRowVector(Tensor y, Tensor v, int rows, int cols) {
        float[] ya = y.data(), va = v.data();
        int yo = y.offset(), vo = v.offset();
        Parallel.parallelFor(rows, Math.max(1, (1 << 14) / Math.max(1, cols)), (s, e) -> {
            for (int r = s; r < e; r++) {
                K.add(ya, yo + r * cols, va, vo, ya, yo + r * cols, cols);
            }
        });
    }

    /** {@code target[c] += sum over r of m[r, c]}: column blocks in parallel, rows in order. */
    static void sumRowsInto(Tensor m, int rows, int cols, Tensor target) {
        float[] ma = m.data(), ta = target.data();
        int mo = m.offset(), to = target.offset();
        int block = 256;
        Parallel.parallelFor((cols + block - 1) / block, 1, (s, e) -> {
            for (int blk = s; blk < e; blk++) {
                int c0 = blk * block, len = Math.min(block, cols - c0);
                for (int r = 0; r < rows; r++) {
                    K.add(ta, to + c0, ma, mo + r * cols + c0, ta, to + c0, len);
                }
            }
        });
    }

    /**
     * {@code op(a) op(b)} where {@code op} transposes the last two dimensions when its flag is
     * set. Shapes: {@code [M, K] x [K, N]}; batched {@code [B, M, K] x [B, K, N]}; or one batched
     * operand with a shared matrix, {@code [B, M, K] x [K, N]} / {@code [M, K] x [B, K, N]}.
     */
    public static Var matmul(Var a, boolean transA, Var b, boolean transB) {
        Tape t = Tape.of(a, b);
        Tensor av = a.value(), bv = b.value();
        if (av.rank() < 2 || av.rank() > 3 || bv.rank() < 2 || bv.rank() > 3) {
            throw new IllegalArgumentException("matmul: operands must have rank 2 or 3, got "
                    + Shapes.toString(av.shape()) + " and " + Shapes.toString(bv.shape()));
        }
        int batchA = av.rank() == 3 ? av.dim(0) : 1, batchB = bv.rank() == 3 ? bv.dim(0) : 1;
        if (av.rank() == 3 && bv.rank() == 3 && batchA != batchB) {
            throw new IllegalArgumentException("matmul: batch sizes differ: " + Shapes.toString(av.shape()) + " x "
                    + Shapes.toString(bv.shape()));
        }
        int ar = av.dim(-2), ac = av.dim(-1), br = bv.dim(-2), bc = bv.dim(-1);
        int m = transA ? ac : ar, k = transA ? ar : ac;
        int kb = transB ? bc : br, n = transB ? br : bc;
        if (k != kb) {
            throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.toString(av.shape())
                    + (transA ? "^T" : "") + " x " + Shapes.toString(bv.shape()) + (transB ? "^T" : "")
                    + " (" + k + " vs " + kb + ")");
        }
        int batch = Math.max(batchA, batchB);
        boolean batched = av.rank() == 3 || bv.rank() == 3;
        Tensor y = t.alloc(batched ? new int[] {batch, m, n} : new int[] {m, n});
        int sa = av.rank() == 3 ? ar * ac : 0, sb = bv.rank() == 3 ? br * bc : 0, sy = m * n;
        // [B, M, K] x shared [K, N] is one tall product [B*M, K] x [K, N]
        boolean tall = av.rank() == 3 && bv.rank() == 2 && !transA;
        int mm = tall ? batch * m : m, nb = tall ? 1 : batch;
        float[] aa = av.data(), ba = bv.data(), ya = y.data();
        int ao = av.offset(), bo = bv.offset(), yo = y.offset();
        Parallel.parallelFor(nb, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                product(transA, transB, mm, n, k, aa, ao + i * sa, ac, ba, bo + i * sb, bc, 0f, ya, yo + i * sy, n);
            }
        });
        t.addFlops(2L * batch * m * n * k);
        Var out = t.output("matmul", y, t.needsGrad(a, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                float[] ga = dy.data();
                int go = dy.offset();
                if (a.requiresGrad()) {
                    Tensor da = t.gradOf(a);
                    // a shared across the batch (sa == 0) accumulates over it in order, on one thread
                    boolean shared = sa == 0 && nb > 1;
                    Parallel.parallelFor(shared ? 1 : nb, 1, (s, e) -> {
                        int from = shared ? 0 : s, to = shared ? nb : e;
                        for (int i = from; i < to; i++) {
                            int gi = go + i * sy, bi = bo + i * sb, di = da.offset() + i * sa;
                            if (!transA) {
                                product(false, !transB, mm, k, n, ga, gi, n, ba, bi, bc, 1f, da.data(), di, ac);
                            } else {
                                product(transB, true, k, mm, n, ba, bi, bc, ga, gi, n, 1f, da.data(), di, ac);
                            }
                        }
                    });
                }
                if (b.requiresGrad()) {
                    Tensor db = t.gradOf(b);
                    boolean shared = sb == 0 && nb > 1;
                    Parallel.parallelFor(shared ? 1 : nb, 1, (s, e) -> {
                        int from = shared ? 0 : s, to = shared ? nb : e;
                        for (int i = from; i < to; i++) {
                            int gi = go + i * sy, ai = ao + i * sa, di = db.offset() + i * sb;
                            if (!transB) {
                                product(!transA, false, k, n, mm, aa, ai, ac, ga, gi, n, 1f, db.data(), di, bc);
                            } else {
                                product(true, transA, n, k, mm, ga, gi, n, aa, ai, ac, 1f, db.data(), di, bc);
                            }
                        }
                    });
                }
            });
        }
        return out;
    }
}
