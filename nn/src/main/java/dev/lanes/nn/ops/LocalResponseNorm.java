package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.VectorMathKernels;

/**
 * Local response normalization across channels (Krizhevsky et al. 2012, PyTorch's
 * {@code LocalResponseNorm}): {@code y_c = x_c * s_c^-beta} with
 * {@code s_c = k + alpha / size * sum of x_j^2} over channels
 * {@code j in [c - size/2, c + (size-1)/2]}, clipped to the existing channels.
 *
 * <p>Every loop runs along a plane (SIMD row kernels), one task per (sample, channel). The
 * forward pass keeps {@code s} and {@code s^-beta}, so the backward pass needs no powers:
 * {@code dx_i = dy_i s_i^-beta - 2 alpha beta / size * x_i * sum over the j whose window holds i of dy_j y_j / s_j}.
 */
public final class LocalResponseNorm {
    private static final VectorMathKernels K = VectorMath.kernels();

    private LocalResponseNorm() {
    }

    public static Var localResponseNorm(Var x, int size, float alpha, float beta, float k) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] xs = xv.shape();
        if (xs.length < 3 || size < 1) {
            throw new IllegalArgumentException("localResponseNorm: input must be [N, C, ...] with size >= 1, got "
                    + Shapes.toString(xs) + " and size " + size);
        }
        int n = xs[0], c = xs[1], plane = xv.size() / (n * c);
        int lo = size / 2, hi = (size - 1) / 2;
        float a = alpha / size;
        Tensor scale = t.alloc(xs), power = t.alloc(xs), y = t.alloc(xs);
        float[] xa = xv.data(), sa = scale.data(), pa = power.data(), ya = y.data();
        int xo = xv.offset(), so = scale.offset(), po = power.offset(), yo = y.offset();
        int grain = Math.max(1, (1 << 13) / plane);
        Parallel.parallelFor(n * c, grain, (s, e) -> {
            for (int p = s; p < e; p++) {
                int b = p / c, ch = p % c, row = p * plane;
                java.util.Arrays.fill(sa, so + row, so + row + plane, 0f);
                for (int j = Math.max(0, ch - lo); j <= Math.min(c - 1, ch + hi); j++) {
                    int src = xo + (b * c + j) * plane;
                    K.mulAdd(xa, src, xa, src, sa, so + row, plane);
                }
                K.scaleShift(a, k, sa, so + row, sa, so + row, plane);
                for (int i = 0; i < plane; i++) {
                    pa[po + row + i] = negativePower(sa[so + row + i], beta);
                }
                K.mul(xa, xo + row, pa, po + row, ya, yo + row, plane);
            }
        });
        t.addFlops((long) xv.size() * (size + 3));
        Var out = t.output("localResponseNorm", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                float[] ga = dy.data();
                int go = dy.offset();
                float coef = -2f * a * beta;
                // q_j = coef * dy_j * y_j / s_j, then u_i = sum of q_j over the windows that hold i
                Tensor q = t.alloc(xs), u = t.alloc(xs);
                float[] qa = q.data(), ua = u.data();
                int qo = q.offset(), uo = u.offset();
                Parallel.parallelFor(n * c, grain, (s, e) -> {
                    for (int i = s * plane; i < e * plane; i++) {
                        qa[qo + i] = coef * ga[go + i] * ya[yo + i] / sa[so + i];
                    }
                });
                Tensor dx = t.gradOf(x);
                float[] da = dx.data();
                int dOff = dx.offset();
                Parallel.parallelFor(n * c, grain, (s, e) -> {
                    for (int p = s; p < e; p++) {
                        int b = p / c, ch = p % c, row = p * plane;
                        int j0 = Math.max(0, ch - hi), j1 = Math.min(c - 1, ch + lo);
                        System.arraycopy(qa, qo + (b * c + j0) * plane, ua, uo + row, plane);
                        for (int j = j0 + 1; j <= j1; j++) {
                            K.add(ua, uo + row, qa, qo + (b * c + j) * plane, ua, uo + row, plane);
                        }
                        K.mulAdd(ga, go + row, pa, po + row, da, dOff + row, plane);
                        K.mulAdd(xa, xo + row, ua, uo + row, da, dOff + row, plane);
                    }
                });
            });
        }
        return out;
    }

    /** {@code s^-beta}; AlexNet's beta = 0.75 takes two square roots instead of a power. */
    private static float negativePower(float s, float beta) {
        if (beta == 0.75f) {
            double r = Math.sqrt(s);
            return (float) (1.0 / (r * Math.sqrt(r)));
        }
        return (float) Math.pow(s, -beta);
    }
}
