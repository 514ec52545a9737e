package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;

/**
 * Softmax and log-softmax along one axis, computed stably (the maximum is subtracted first,
 * the normalizer summed in double). Each line along the axis is one independent task.
 */
public final class Softmax {
    private Softmax() {
    }

    public static Var softmax(Var x, int axis) {
        return run("softmax", x, axis, false);
    }

    public static Var logSoftmax(Var x, int axis) {
        return run("logSoftmax", x, axis, true);
    }

    private static Var run(String op, Var x, int axis, boolean log) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] shape = xv.shape();
        int a = Axes.normalize(op, axis, shape);
        int outer = Axes.outer(shape, a), c = shape[a], inner = Axes.inner(shape, a);
        Tensor y = t.alloc(shape);
        float[] xa = xv.data(), ya = y.data();
        int xo = xv.offset(), yo = y.offset();
        int grain = Math.max(1, (1 << 12) / c);
        Parallel.parallelFor(outer * inner, grain, (s, e) -> {
            for (int line = s; line < e; line++) {
                int rel = (line / inner) * c * inner + line % inner;
                forwardLine(xa, xo + rel, ya, yo + rel, c, inner, log);
            }
        });
        t.addFlops(3L * xv.size());
        Var out = t.output(op, y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                Parallel.parallelFor(outer * inner, grain, (s, e) -> {
                    for (int line = s; line < e; line++) {
                        int rel = (line / inner) * c * inner + line % inner;
                        backwardLine(ya, yo + rel, ga, dy.offset() + rel, da, dx.offset() + rel, c, inner, log);
                    }
                });
            });
        }
        return out;
    }

    static void forwardLine(float[] x, int xi, float[] y, int yi, int c, int stride, boolean log) {
        float max = Float.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            max = Math.max(max, x[xi + k * stride]);
        }
        double sum = 0;
        for (int k = 0; k < c; k++) {
            sum += Math.exp(x[xi + k * stride] - max);
        }
        if (log) {
            double lse = max + Math.log(sum);
            for (int k = 0; k < c; k++) {
                y[yi + k * stride] = (float) (x[xi + k * stride] - lse);
            }
        } else {
            double inv = 1.0 / sum;
            for (int k = 0; k < c; k++) {
                y[yi + k * stride] = (float) (Math.exp(x[xi + k * stride] - max) * inv);
            }
        }
    }

    /** softmax: dx = y (dy - sum dy y); log-softmax: dx = dy - exp(y) sum dy. */
    private static void backwardLine(float[] y, int yi, float[] dy, int gi, float[] dx, int di, int c, int stride,
                                     boolean log) {
        double acc = 0;
        for (int k = 0; k < c; k++) {
            acc += log ? dy[gi + k * stride] : (double) dy[gi + k * stride] * y[yi + k * stride];
        }
        float s = (float) acc;
        for (int k = 0; k < c; k++) {
            float yk = y[yi + k * stride];
            float g = dy[gi + k * stride];
            dx[di + k * stride] += log ? g - (float) Math.exp(yk) * s : yk * (g - s);
        }
    }
}
