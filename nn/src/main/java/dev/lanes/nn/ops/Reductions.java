package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.VectorMathKernels;

import java.util.Arrays;

/**
 * Sums, means and norms over axes. A block of adjacent axes is reduced in one pass over the
 * {@code [outer, r, inner]} view; each output element is accumulated by one task in a fixed
 * order (r = 0, 1, ...), so results do not depend on the thread count. Non-adjacent axes are
 * reduced block by block, last block first.
 */
public final class Reductions {
    private static final VectorMathKernels K = VectorMath.kernels();
    /** Output columns per task when an output row is long. */
    private static final int COLS = 1 << 12;

    private Reductions() {
    }

    /** Sum over {@code axes} (negative axes count from the end); {@code keepDim} keeps them as size 1. */
    public static Var sum(Var x, int[] axes, boolean keepDim) {
        return reduce("sum", x, axes, keepDim, false);
    }

    public static Var mean(Var x, int[] axes, boolean keepDim) {
        return reduce("mean", x, axes, keepDim, true);
    }

    /** Sum of all elements, shape {@code [1]}. */
    public static Var sumAll(Var x) {
        return contiguous("sum", x, 0, Math.max(1, x.rank()), false, false, true);
    }

    /** Mean of all elements, shape {@code [1]}. */
    public static Var meanAll(Var x) {
        return contiguous("mean", x, 0, Math.max(1, x.rank()), false, true, true);
    }

    private static Var reduce(String op, Var x, int[] axes, boolean keepDim, boolean mean) {
        int[] shape = x.shape();
        if (axes.length == 0) {
            throw new IllegalArgumentException(op + ": no axes given (use sumAll/meanAll to reduce everything)");
        }
        boolean[] marked = new boolean[shape.length];
        for (int a : axes) {
            int n = Axes.normalize(op, a, shape);
            if (marked[n]) {
                throw new IllegalArgumentException(op + ": axis " + a + " given twice in " + Arrays.toString(axes));
            }
            marked[n] = true;
        }
        Var y = x;
        // last block first, so that removing it does not move the axes of earlier blocks
        int i = shape.length - 1;
        while (i >= 0) {
            if (!marked[i]) {
                i--;
                continue;
            }
            int end = i + 1;
            while (i >= 0 && marked[i]) {
                i--;
            }
            y = contiguous(op, y, i + 1, end, keepDim, mean, false);
        }
        return y;
    }

    /**
     * Reduces axes {@code [from, to)} of x. With {@code all}, the result has shape {@code [1]}.
     */
    private static Var contiguous(String op, Var x, int from, int to, boolean keepDim, boolean mean, boolean all) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] shape = xv.rank() == 0 ? new int[] {1} : xv.shape();
        int outer = Axes.product(shape, 0, from);
        int r = Axes.product(shape, from, to);
        int inner = Axes.product(shape, to, shape.length);
        int[] outShape;
        if (all) {
            outShape = new int[] {1};
        } else if (keepDim) {
            outShape = shape.clone();
            Arrays.fill(outShape, from, to, 1);
        } else {
            outShape = new int[shape.length - (to - from)];
            System.arraycopy(shape, 0, outShape, 0, from);
            System.arraycopy(shape, to, outShape, from, shape.length - to);
        }
        float scale = mean ? 1f / r : 1f;
        Tensor y = t.alloc(outShape);
        float[] xa = xv.data(), ya = y.data();
        int xo = xv.offset(), yo = y.offset();
        if (inner == 1) {
            Parallel.parallelFor(outer, Math.max(1, (1 << 14) / Math.max(1, r)), (s, e) -> {
                for (int o = s; o < e; o++) {
                    double acc = 0;
                    int base = xo + o * r;
                    for (int k = 0; k < r; k++) {
                        acc += xa[base + k];
                    }
                    ya[yo + o] = (float) (acc * scale);
                }
            });
        } else {
            int blocks = (inner + COLS - 1) / COLS;
            Parallel.parallelFor(outer * blocks, 1, (s, e) -> {
                for (int task = s; task < e; task++) {
                    int o = task / blocks;
                    int c0 = (task % blocks) * COLS;
                    int len = Math.min(COLS, inner - c0);
                    int dst = yo + o * inner + c0;
                    int src = xo + o * r * inner + c0;
                    System.arraycopy(xa, src, ya, dst, len);
                    for (int k = 1; k < r; k++) {
                        K.add(ya, dst, xa, src + k * inner, ya, dst, len);
                    }
                    if (mean) {
                        K.scale(scale, ya, dst, ya, dst, len);
                    }
                }
            });
        }
        t.addFlops(xv.size());
        Var out = t.output(op, y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                int dOff = dx.offset(), gOff = dy.offset();
                Parallel.parallelFor(outer * r, Math.max(1, (1 << 14) / inner), (s, e) -> {
                    for (int row = s; row < e; row++) {
                        int o = row / r;
                        if (inner == 1) {
                            da[dOff + row] += scale * ga[gOff + o];
                        } else {
                            K.axpy(scale, ga, gOff + o * inner, da, dOff + row * inner, inner);
                        }
                    }
                });
            });
        }
        return out;
    }

    /** Euclidean norm over one axis: {@code sqrt(sum x^2)}; the gradient at a zero norm is taken as 0. */
    public static Var norm(Var x, int axis, boolean keepDim) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] shape = xv.shape();
        int a = Axes.normalize("norm", axis, shape);
        int outer = Axes.outer(shape, a), r = shape[a], inner = Axes.inner(shape, a);
        int[] outShape;
        if (keepDim) {
            outShape = shape.clone();
            outShape[a] = 1;
        } else {
            outShape = new int[shape.length - 1];
            System.arraycopy(shape, 0, outShape, 0, a);
            System.arraycopy(shape, a + 1, outShape, a, shape.length - a - 1);
        }
        Tensor y = t.alloc(outShape);
        float[] xa = xv.data(), ya = y.data();
        int xo = xv.offset(), yo = y.offset();
        Parallel.parallelFor(outer * inner, Math.max(1, (1 << 13) / r), (s, e) -> {
            for (int line = s; line < e; line++) {
                int base = xo + (line / inner) * r * inner + line % inner;
                double acc = 0;
                for (int k = 0; k < r; k++) {
                    double v = xa[base + k * inner];
                    acc += v * v;
                }
                ya[yo + line] = (float) Math.sqrt(acc);
            }
        });
        t.addFlops(2L * xv.size());
        Var out = t.output("norm", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                int dOff = dx.offset() - xo, gOff = dy.offset();
                Parallel.parallelFor(outer * inner, Math.max(1, (1 << 13) / r), (s, e) -> {
                    for (int line = s; line < e; line++) {
                        float nrm = ya[yo + line];
                        if (nrm == 0f) {
                            continue;
                        }
                        float g = ga[gOff + line] / nrm;
                        int base = xo + (line / inner) * r * inner + line % inner;
                        for (int k = 0; k < r; k++) {
                            da[dOff + base + k * inner] += g * xa[base + k * inner];
                        }
                    }
                });
            });
        }
        return out;
    }
}
