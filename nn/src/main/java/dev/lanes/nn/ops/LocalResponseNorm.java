package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

/**
 * Local response normalization across channels (Krizhevsky et al. 2012, PyTorch's
 * {@code LocalResponseNorm}): {@code y_c = x_c / s_c^beta} with
 * {@code s_c = k + alpha / size * sum of x_j^2} over channels
 * {@code j in [c - size/2, c + (size-1)/2]}, clipped to the existing channels.
 */
public final class LocalResponseNorm {
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
        Tensor scale = t.alloc(xs);
        Tensor y = t.alloc(xs);
        float[] xa = xv.data(), sa = scale.data(), ya = y.data();
        int xo = xv.offset(), so = scale.offset(), yo = y.offset();
        Parallel.parallelFor(n * c, Math.max(1, (1 << 13) / plane), (s, e) -> {
            for (int p = s; p < e; p++) {
                int b = p / c, ch = p % c;
                int j0 = Math.max(0, ch - lo), j1 = Math.min(c - 1, ch + hi);
                int out = p * plane;
                for (int i = 0; i < plane; i++) {
                    float acc = 0f;
                    for (int j = j0; j <= j1; j++) {
                        float v = xa[xo + (b * c + j) * plane + i];
                        acc += v * v;
                    }
                    float sc = k + a * acc;
                    sa[so + out + i] = sc;
                    ya[yo + out + i] = xa[xo + out + i] * (float) Math.pow(sc, -beta);
                }
            }
        });
        t.addFlops((long) xv.size() * (size + 3));
        Var out = t.output("localResponseNorm", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                // dx_i = dy_i s_i^-beta - 2 a beta x_i * sum over j whose window holds i of dy_j y_j / s_j
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                int dOff = dx.offset(), gOff = dy.offset();
                Parallel.parallelFor(n * c, Math.max(1, (1 << 13) / plane), (s, e) -> {
                    for (int p = s; p < e; p++) {
                        int b = p / c, ch = p % c;
                        int j0 = Math.max(0, ch - hi), j1 = Math.min(c - 1, ch + lo);
                        int at = p * plane;
                        for (int i = 0; i < plane; i++) {
                            float acc = 0f;
                            for (int j = j0; j <= j1; j++) {
                                int q = (b * c + j) * plane + i;
                                acc += ga[gOff + q] * ya[yo + q] / sa[so + q];
                            }
                            float sc = sa[so + at + i];
                            da[dOff + at + i] += ga[gOff + at + i] * (float) Math.pow(sc, -beta)
                                    - 2f * a * beta * xa[xo + at + i] * acc;
                        }
                    }
                });
            });
        }
        return out;
    }
}
