package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;

/** The capsule non-linearity of Sabour et al. 2017. */
public final class Capsules {
    private Capsules() {
    }

    /**
     * {@code v = |s|^2 / (1 + |s|^2) * s / |s|} along {@code axis}, with {@code |s| = sqrt(|s|^2 + eps)}
     * so that a zero vector maps to zero with a finite gradient.
     */
    public static Var squash(Var x, int axis, float eps) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] shape = xv.shape();
        int a = Axes.normalize("squash", axis, shape);
        int outer = Axes.outer(shape, a), d = shape[a], inner = Axes.inner(shape, a);
        Tensor y = t.alloc(shape);
        float[] xa = xv.data(), ya = y.data();
        int xo = xv.offset(), yo = y.offset();
        int grain = Math.max(1, (1 << 12) / d);
        Parallel.parallelFor(outer * inner, grain, (s, e) -> {
            for (int line = s; line < e; line++) {
                int base = (line / inner) * d * inner + line % inner;
                squashLine(xa, xo + base, ya, yo + base, d, inner, eps);
            }
        });
        t.addFlops(4L * xv.size());
        Var out = t.output("squash", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                int dOff = dx.offset(), gOff = dy.offset();
                Parallel.parallelFor(outer * inner, grain, (s, e) -> {
                    for (int line = s; line < e; line++) {
                        int base = (line / inner) * d * inner + line % inner;
                        squashLineBackward(xa, xo + base, ga, gOff + base, da, dOff + base, d, inner, eps);
                    }
                });
            });
        }
        return out;
    }

    /** {@code y = squash(x)} for one vector of {@code d} entries {@code stride} apart. */
    static void squashLine(float[] xa, int x, float[] ya, int y, int d, int stride, float eps) {
        double sq = squaredNorm(xa, x, d, stride);
        double f = sq / ((1 + sq) * Math.sqrt(sq + eps));
        for (int k = 0; k < d; k++) {
            ya[y + k * stride] = (float) (f * xa[x + k * stride]);
        }
    }

    /**
     * {@code dx += J^T dy} of {@link #squashLine} at {@code x}. With {@code v = f(q) s}:
     * {@code dx = f dy + 2 f'(q) (dy . s) s}, where
     * {@code f'(q) = 1 / ((1 + q) n) - f / (1 + q) - f / (2 (q + eps))} and {@code n = sqrt(q + eps)}.
     */
    static void squashLineBackward(float[] xa, int x, float[] ga, int g, float[] da, int dx, int d, int stride,
                                   float eps) {
        double sq = squaredNorm(xa, x, d, stride);
        double nrm = Math.sqrt(sq + eps);
        double f = sq / ((1 + sq) * nrm);
        double df = 1 / ((1 + sq) * nrm) - f / (1 + sq) - f / (2 * (sq + eps));
        double dot = 0;
        for (int k = 0; k < d; k++) {
            dot += (double) ga[g + k * stride] * xa[x + k * stride];
        }
        double c = 2 * df * dot;
        for (int k = 0; k < d; k++) {
            int o = k * stride;
            da[dx + o] += (float) (f * ga[g + o] + c * xa[x + o]);
        }
    }

    private static double squaredNorm(float[] x, int at, int d, int stride) {
        double sq = 0;
        for (int k = 0; k < d; k++) {
            double v = x[at + k * stride];
            sq += v * v;
        }
        return sq;
    }
}
