package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Shapes;

/**
 * Dynamic routing by agreement (Sabour, Frosst, Hinton 2017), written as batched tensor ops on
 * the tape: the predictions are one batched GEMM over the input capsules, each routing
 * iteration a softmax, two batched matrix-vector products and a squash. No backward pass is
 * written here; the tape differentiates through every iteration.
 */
public final class DynamicRouting {
    private DynamicRouting() {
    }

    /**
     * The predictions {@code u_hat_{j|i} = W_ij u_i}: capsules {@code u [B, I, inDim]}, weights
     * {@code w [I, J, D, inDim]}; returns {@code [B, J, I, D]} (output capsule major, so that
     * each routing step reads one contiguous {@code [I, D]} matrix per sample and output capsule).
     */
    public static Var predictions(Var u, Var w) {
        if (u.rank() != 3 || w.rank() != 4 || u.dim(1) != w.dim(0) || u.dim(2) != w.dim(3)) {
            throw new IllegalArgumentException("capsule predictions: capsules " + Shapes.toString(u.shape())
                    + " ([B, I, inDim]) do not match weights " + Shapes.toString(w.shape()) + " ([I, J, D, inDim])");
        }
        int b = u.dim(0), in = u.dim(1), inDim = u.dim(2), out = w.dim(1), d = w.dim(2);
        Var perInput = F.permute(u, 1, 0, 2);                                          // [I, B, inDim]
        Var p = F.matmul(perInput, false, F.reshape(w, in, out * d, inDim), true);     // [I, B, J*D]
        return F.permute(F.reshape(p, in, b, out, d), 1, 2, 0, 3);                     // [B, J, I, D]
    }

    /**
     * Routes the predictions {@code uHat [B, J, I, D]} to the {@code J} output capsules
     * {@code v [B, J, D]} in {@code iterations} rounds: {@code c = softmax_j(b)},
     * {@code s_j = sum_i c_ij u_hat_{j|i}}, {@code v_j = squash(s_j)}, then
     * {@code b_ij += u_hat_{j|i} . v_j} before the next round; the logits start at zero.
     */
    public static Var route(Var uHat, int iterations) {
        if (uHat.rank() != 4) {
            throw new IllegalArgumentException("routing: predictions " + Shapes.toString(uHat.shape())
                    + " must be [B, J, I, D]");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("routing needs at least 1 iteration, got " + iterations);
        }
        int b = uHat.dim(0), out = uHat.dim(1), in = uHat.dim(2), d = uHat.dim(3);
        Var flat = F.reshape(uHat, b * out, in, d);                                    // one [I, D] matrix per (b, j)
        Var logits = F.zeros(uHat, b, out, in);
        Var v = null;
        for (int it = 0; it < iterations; it++) {
            Var c = F.reshape(F.softmax(logits, 1), b * out, 1, in);                   // coupling over output capsules
            Var s = F.matmul(c, flat);                                                 // [B*J, 1, D]
            v = F.squash(F.reshape(s, b, out, d), -1);
            if (it + 1 < iterations) {
                Var agreement = F.matmul(flat, F.reshape(v, b * out, d, 1));           // [B*J, I, 1]
                logits = F.add(logits, F.reshape(agreement, b, out, in));
            }
        }
        return v;
    }
}
