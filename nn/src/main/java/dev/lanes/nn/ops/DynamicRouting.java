package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.CapsuleRowKernels;
import dev.lanes.tensor.CapsuleRows;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.VectorMathKernels;

/**
 * The capsule predictions and dynamic routing by agreement (Sabour, Frosst, Hinton 2017), each
 * one op with its backward pass written here.
 *
 * <p>Why not a chain of generic ops: the predictions {@code u_hat} ({@code [B, I, J, D]}, 94 MB for
 * the paper's network at batch 128) are read several times per routing iteration, and as a chain
 * of batched GEMMs, softmaxes and permutes every read went through main memory and through
 * thousands of GEMMs with one row. Here the routing runs one sample per task: a sample's
 * predictions (737 KB for the paper's network) stay in the core's cache through all iterations,
 * each forward iteration is one pass over them (agreement, softmax and the next weighted sum
 * fused), and the {@code J} rows of {@code D} numbers from one input capsule go through one call of
 * the SIMD kernels of {@link CapsuleRows}.
 *
 * <p>Determinism: every output element is computed by one task in a fixed order (samples for
 * the routing, input capsules for the predictions, whose weight gradient sums over the batch
 * in sample order), so results do not depend on the thread count.
 */
public final class DynamicRouting {
    private static final float EPS = 1e-8f;

    private DynamicRouting() {
    }

    /**
     * The predictions {@code u_hat_{j|i} = W_ij u_i}: capsules {@code u [B, I, inDim]}, weights
     * {@code w [I, J, D, inDim]}; returns {@code [B, I, J, D]} (input capsule major: a sample's
     * predictions from one input capsule are one contiguous row of {@code J * D}).
     */
    public static Var predictions(Var u, Var w) {
        if (u.rank() != 3 || w.rank() != 4 || u.dim(1) != w.dim(0) || u.dim(2) != w.dim(3)) {
            throw new IllegalArgumentException("capsule predictions: capsules " + Shapes.toString(u.shape())
                    + " ([B, I, inDim]) do not match weights " + Shapes.toString(w.shape()) + " ([I, J, D, inDim])");
        }
        Tape t = Tape.of(u, w);
        int b = u.dim(0), in = u.dim(1), k = u.dim(2), out = w.dim(1), d = w.dim(2), jd = out * d;
        Tensor uv = u.value(), wv = w.value();
        float[] ua = uv.data(), wa = wv.data();
        int uo = uv.offset(), wo = wv.offset();
        // W_i transposed to [inDim, J*D]: the prediction row of (n, i) is sum_q u[n, i, q] * wt[i, q, :]
        Tensor wtT = t.alloc(in, k, jd);
        Tensor y = t.alloc(b, in, out, d);
        float[] wt = wtT.data(), ya = y.data();
        int yo = y.offset();
        VectorMathKernels vm = VectorMath.kernels();
        Parallel.parallelFor(in, 4, (i0, i1) -> {
            for (int i = i0; i < i1; i++) {
                for (int r = 0; r < jd; r++) {
                    for (int q = 0; q < k; q++) {
                        wt[(i * k + q) * jd + r] = wa[wo + (i * jd + r) * k + q];
                    }
                }
                for (int n = 0; n < b; n++) {
                    int row = yo + (n * in + i) * jd, ur = uo + (n * in + i) * k;
                    vm.scale(ua[ur], wt, i * k * jd, ya, row, jd);
                    for (int q = 1; q < k; q++) {
                        vm.axpy(ua[ur + q], wt, (i * k + q) * jd, ya, row, jd);
                    }
                }
            }
        });
        t.addFlops(2L * b * in * jd * k);
        Var p = t.output("capsulePredictions", y, t.needsGrad(u, w));
        if (p.requiresGrad()) {
            t.record(p, dy -> {
                float[] ga = dy.data();
                int go = dy.offset();
                if (t.needsGrad(w)) {
                    Tensor dw = t.gradOf(w);
                    Tensor dwtT = t.allocZeroed(in, k, jd);
                    float[] dwa = dw.data(), dwt = dwtT.data();
                    int dwo = dw.offset();
                    Parallel.parallelFor(in, 4, (i0, i1) -> {
                        for (int i = i0; i < i1; i++) {
                            for (int n = 0; n < b; n++) {      // the sum over the batch, in sample order
                                int row = go + (n * in + i) * jd, ur = uo + (n * in + i) * k;
                                for (int q = 0; q < k; q++) {
                                    vm.axpy(ua[ur + q], ga, row, dwt, (i * k + q) * jd, jd);
                                }
                            }
                            for (int r = 0; r < jd; r++) {
                                for (int q = 0; q < k; q++) {
                                    dwa[dwo + (i * jd + r) * k + q] += dwt[(i * k + q) * jd + r];
                                }
                            }
                        }
                    });
                }
                if (t.needsGrad(u)) {
                    Tensor du = t.gradOf(u);
                    float[] dua = du.data();
                    int duo = du.offset();
                    Parallel.parallelFor(in, 4, (i0, i1) -> {
                        for (int i = i0; i < i1; i++) {
                            for (int n = 0; n < b; n++) {
                                int row = go + (n * in + i) * jd, ur = duo + (n * in + i) * k;
                                for (int q = 0; q < k; q++) {
                                    dua[ur + q] += vm.dotCentered(ga, row, wt, (i * k + q) * jd, 0f, jd);
                                }
                            }
                        }
                    });
                }
            });
        }
        return p;
    }

    /**
     * Routes the predictions {@code uHat [B, I, J, D]} to the {@code J} output capsules
     * {@code v [B, J, D]} in {@code iterations} rounds: {@code c_i = softmax_j(b_i)},
     * {@code s_j = sum_i c_ij u_hat_{j|i}}, {@code v_j = squash(s_j)}, then
     * {@code b_ij += u_hat_{j|i} . v_j} before the next round; the logits start at zero. The
     * gradient flows through every iteration (through the couplings too).
     */
    public static Var route(Var uHat, int iterations) {
        if (uHat.rank() != 4) {
            throw new IllegalArgumentException("routing: predictions " + Shapes.toString(uHat.shape())
                    + " must be [B, I, J, D]");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("routing needs at least 1 iteration, got " + iterations);
        }
        Tape t = Tape.of(uHat);
        Routing r = new Routing(uHat.value(), iterations, t);
        Tensor v = t.alloc(r.b, r.out, r.d);
        Parallel.parallelFor(r.b, 1, (n0, n1) -> {
            for (int n = n0; n < n1; n++) {
                r.forward(n, v);
            }
        });
        t.addFlops(4L * iterations * r.b * r.in * r.out * r.d);
        Var out = t.output("dynamicRouting", v, t.needsGrad(uHat));
        if (out.requiresGrad()) {
            t.record(out, dv -> {
                // a first gradient is zeroed sample by sample inside the tasks (in cache, in parallel)
                Tensor fresh = t.newGrad(uHat);
                Tensor du = fresh != null ? fresh : t.gradOf(uHat);
                boolean zero = fresh != null;
                Tensor dlog = t.alloc(r.b, r.in * r.out), dvt = t.alloc(r.b, r.out * r.d), ds = t.alloc(r.b, r.out * r.d);
                Tensor dc = t.alloc(r.b, r.out);
                Parallel.parallelFor(r.b, 1, (n0, n1) -> {
                    for (int n = n0; n < n1; n++) {
                        if (zero) {
                            int at = du.offset() + n * r.in * r.jd;
                            java.util.Arrays.fill(du.data(), at, at + r.in * r.jd, 0f);
                        }
                        r.backward(n, dv, du, dlog, dvt, ds, dc);
                    }
                });
            });
        }
        return out;
    }

    /** The routing of one batch: the predictions and what the forward pass keeps for the backward pass. */
    private static final class Routing {
        final int b, in, out, d, iterations, jd, ij;
        final float[] u;
        final int uo;
        /** Per sample and iteration: couplings {@code c [I, J]}, sums {@code s [J, D]}, capsules {@code v [J, D]}. */
        final float[] c, s, v;
        /** Per sample: the routing logits {@code [I, J]} of the current iteration, and one row of agreements. */
        final float[] logits, agree;
        final CapsuleRowKernels rows = CapsuleRows.kernels();

        Routing(Tensor uHat, int iterations, Tape t) {
            b = uHat.dim(0);
            in = uHat.dim(1);
            out = uHat.dim(2);
            d = uHat.dim(3);
            this.iterations = iterations;
            jd = out * d;
            ij = in * out;
            u = uHat.data();
            uo = uHat.offset();
            c = t.alloc(b, iterations, ij).data();
            s = t.alloc(b, iterations, jd).data();
            v = t.alloc(b, iterations, jd).data();
            logits = t.alloc(b, ij).data();
            agree = t.alloc(b, out).data();
        }

        /** The prediction row {@code u_hat[n, i, j, :]}. */
        int at(int n, int i, int j) {
            return uo + ((n * in + i) * out + j) * d;
        }

        void forward(int n, Tensor result) {
            int lg = n * ij;
            java.util.Arrays.fill(logits, lg, lg + ij, 0f);
            int c0 = n * iterations * ij, s0 = n * iterations * jd;
            java.util.Arrays.fill(c, c0, c0 + ij, 1f / out);              // softmax of zero logits
            java.util.Arrays.fill(s, s0, s0 + jd, 0f);
            for (int i = 0; i < in; i++) {
                rows.scaledRowsAdd(c, c0 + i * out, u, at(n, i, 0), s, s0, out, d);
            }
            for (int it = 0; it < iterations; it++) {
                int ct = c0 + it * ij, st = s0 + it * jd;
                for (int j = 0; j < out; j++) {
                    Capsules.squashLine(s, st + j * d, v, st + j * d, d, 1, EPS);
                }
                if (it + 1 == iterations) {
                    break;
                }
                // one pass: agreement with v, new logits, their softmax, the next weighted sum
                int cn = ct + ij, sn = st + jd;
                java.util.Arrays.fill(s, sn, sn + jd, 0f);
                for (int i = 0; i < in; i++) {
                    int li = lg + i * out, ai = n * out;
                    rows.rowDots(u, at(n, i, 0), v, st, agree, ai, out, d);
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = 0; j < out; j++) {
                        logits[li + j] += agree[ai + j];
                        max = Math.max(max, logits[li + j]);
                    }
                    float z = 0f;
                    for (int j = 0; j < out; j++) {
                        float e = (float) Math.exp(logits[li + j] - max);
                        c[cn + i * out + j] = e;
                        z += e;
                    }
                    float inv = 1f / z;
                    for (int j = 0; j < out; j++) {
                        c[cn + i * out + j] *= inv;
                    }
                    rows.scaledRowsAdd(c, cn + i * out, u, at(n, i, 0), s, sn, out, d);
                }
            }
            System.arraycopy(v, s0 + (iterations - 1) * jd, result.data(), result.offset() + n * jd, jd);
        }

        /**
         * Sample {@code n}'s gradient, iterations in reverse. {@code dlog} holds the gradient of the
         * logits after the iteration being undone ({@code b^{t+1} = b^t + a^t}, so it is also the
         * agreement's); couplings of the first iteration are constant (softmax of zeros).
         */
        void backward(int n, Tensor dv, Tensor du, Tensor dlogT, Tensor dvtT, Tensor dsT, Tensor dcT) {
            float[] dua = du.data(), dlog = dlogT.data(), dvt = dvtT.data(), ds = dsT.data(), dc = dcT.data();
            int duo = du.offset() - uo, lg = n * ij, vt0 = n * jd, dc0 = n * out;
            java.util.Arrays.fill(dlog, lg, lg + ij, 0f);
            int c0 = n * iterations * ij, s0 = n * iterations * jd;
            for (int it = iterations - 1; it >= 0; it--) {
                int ct = c0 + it * ij, st = s0 + it * jd;
                if (it == iterations - 1) {
                    System.arraycopy(dv.data(), dv.offset() + n * jd, dvt, vt0, jd);
                } else {
                    // the agreement a_ij = u_hat_ij . v_j: dv_j = sum_i da_ij u_hat_ij, du_hat_ij += da_ij v_j
                    java.util.Arrays.fill(dvt, vt0, vt0 + jd, 0f);
                    for (int i = 0; i < in; i++) {
                        int row = at(n, i, 0);
                        rows.scaledRowsAdd(dlog, lg + i * out, u, row, dvt, vt0, out, d);
                        rows.scaledRowsAdd(dlog, lg + i * out, v, st, dua, duo + row, out, d);
                    }
                }
                java.util.Arrays.fill(ds, vt0, vt0 + jd, 0f);
                for (int j = 0; j < out; j++) {
                    Capsules.squashLineBackward(s, st + j * d, dvt, vt0 + j * d, ds, vt0 + j * d, d, 1, EPS);
                }
                // s_j = sum_i c_ij u_hat_ij: du_hat_ij += c_ij ds_j, dc_ij = ds_j . u_hat_ij, then the softmax
                for (int i = 0; i < in; i++) {
                    int ci = ct + i * out, row = at(n, i, 0);
                    rows.scaledRowsAdd(c, ci, ds, vt0, dua, duo + row, out, d);
                    if (it > 0) {
                        rows.rowDots(ds, vt0, u, row, dc, dc0, out, d);
                        float dot = 0f;
                        for (int j = 0; j < out; j++) {
                            dot += c[ci + j] * dc[dc0 + j];
                        }
                        for (int j = 0; j < out; j++) {
                            dlog[lg + i * out + j] += c[ci + j] * (dc[dc0 + j] - dot);
                        }
                    }
                }
            }
        }
    }
}
