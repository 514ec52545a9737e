package dev.lanes.nn.optim;

import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;

import java.util.Collection;

/** Gradient-norm clipping, as PyTorch's {@code clip_grad_norm_}. */
public final class GradClip {
    private GradClip() {
    }

    /**
     * Scales all gradients by {@code maxNorm / (norm + 1e-6)} when their global L2 norm exceeds
     * {@code maxNorm}. The norm is summed in double over the parameters in order, so it is the
     * same on any thread count. Returns the norm before clipping.
     */
    public static double clipNorm(Collection<Var> params, double maxNorm) {
        double sq = 0;
        for (Var p : params) {
            Tensor g = p.grad();
            if (g == null) {
                continue;
            }
            float[] d = g.data();
            for (int i = 0; i < g.size(); i++) {
                double v = d[g.offset() + i];
                sq += v * v;
            }
        }
        double norm = Math.sqrt(sq);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (Var p : params) {
                Tensor g = p.grad();
                if (g != null) {
                    VectorMath.scale((float) coef, g.data(), g.offset(), g.data(), g.offset(), g.size());
                }
            }
        }
        return norm;
    }
}
