package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.VectorMathKernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Ops that move elements without arithmetic: reshape and flatten (views, no copy), permute,
 * concat, narrow (and split), zero padding. Copies along an axis use the
 * {@code [outer, axis, inner]} view, so every copy is a run of contiguous blocks.
 */
public final class ShapeOps {
    private static final VectorMathKernels K = VectorMath.kernels();

    private ShapeOps() {
    }

    /**
     * A zero-filled constant of the given shape on the tape of {@code onTapeOf} (pooled like
     * any op output), e.g. the initial routing logits of a capsule layer.
     */
    public static Var zeros(Var onTapeOf, int... shape) {
        Tape t = Tape.of(onTapeOf);
        return t.output("zeros", t.allocZeroed(shape), false);
    }

    /** A view with a new shape (one dimension may be -1); the gradient flows back unchanged. */
    public static Var reshape(Var x, int... shape) {
        Tape t = Tape.of(x);
        Tensor y = x.value().reshape(shape);
        Var out = t.output("reshape", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> Pointwise.addInto(t.gradOf(x), dy));
        }
        return out;
    }

    /** Flattens dimensions {@code startDim..end} into one: {@code [N, C, H, W] -> [N, C*H*W]} for startDim 1. */
    public static Var flatten(Var x, int startDim) {
        int[] s = x.shape();
        int start = Axes.normalize("flatten", startDim, s);
        int[] shape = Arrays.copyOf(s, start + 1);
        shape[start] = Axes.product(s, start, s.length);
        return reshape(x, shape);
    }

    /** Reorders dimensions: output dimension i is input dimension {@code dims[i]}. Copies. */
    public static Var permute(Var x, int... dims) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] s = xv.shape();
        if (dims.length != s.length) {
            throw new IllegalArgumentException("permute: " + dims.length + " dimensions " + Arrays.toString(dims)
                    + " for shape " + Shapes.toString(s));
        }
        int[] perm = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            perm[i] = Axes.normalize("permute", dims[i], s);
            if (seen[perm[i]]) {
                throw new IllegalArgumentException("permute: " + Arrays.toString(dims) + " is not a permutation of "
                        + s.length + " dimensions");
            }
            seen[perm[i]] = true;
        }
        int[] outShape = new int[s.length];
        int[] inStrides = BroadcastPlan.contiguousStrides(s);
        int[] srcStride = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            outShape[i] = s[perm[i]];
            srcStride[i] = inStrides[perm[i]];
        }
        Tensor y = t.alloc(outShape);
        permuteCopy(xv.data(), xv.offset(), y.data(), y.offset(), outShape, srcStride, false);
        Var out = t.output("permute", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                permuteCopy(dx.data(), dx.offset(), dy.data(), dy.offset(), outShape, srcStride, true);
            });
        }
        return out;
    }

    /** Swaps two dimensions. */
    public static Var transpose(Var x, int d0, int d1) {
        int r = x.rank();
        int[] dims = new int[r];
        for (int i = 0; i < r; i++) {
            dims[i] = i;
        }
        int a = Axes.normalize("transpose", d0, x.shape()), b = Axes.normalize("transpose", d1, x.shape());
        dims[a] = b;
        dims[b] = a;
        return permute(x, dims);
    }

    /**
     * Walks the output (shape {@code outShape}, contiguous) in row-major order; {@code srcStride}
     * gives the input stride of each output dimension. Forward: {@code out[o] = in[src(o)]};
     * with {@code back}: {@code in[src(o)] += out[o]} (a permutation, so no two runs collide).
     */
    private static void permuteCopy(float[] in, int inOff, float[] out, int outOff, int[] outShape, int[] srcStride,
                                    boolean back) {
        int r = outShape.length;
        if (r == 0) {
            if (back) {
                in[inOff] += out[outOff];
            } else {
                out[outOff] = in[inOff];
            }
            return;
        }
        int last = outShape[r - 1];
        int lastStride = srcStride[r - 1];
        int rows = Shapes.size(outShape) / Math.max(1, last);
        Parallel.parallelFor(rows, Math.max(1, (1 << 13) / Math.max(1, last)), (s, e) -> {
            int[] idx = new int[r];
            for (int row = s; row < e; row++) {
                int rem = row, src = inOff;
                for (int d = r - 2; d >= 0; d--) {
                    idx[d] = rem % outShape[d];
                    rem /= outShape[d];
                    src += idx[d] * srcStride[d];
                }
                int dst = outOff + row * last;
                if (back) {
                    for (int j = 0; j < last; j++) {
                        in[src + j * lastStride] += out[dst + j];
                    }
                } else {
                    for (int j = 0; j < last; j++) {
                        out[dst + j] = in[src + j * lastStride];
                    }
                }
            }
        });
    }

    /** Joins values along {@code axis}; all other dimensions must agree. */
    public static Var concat(List<Var> xs, int axis) {
        if (xs.isEmpty()) {
            throw new IllegalArgumentException("concat: no inputs");
        }
        Var[] in = xs.toArray(new Var[0]);
        Tape t = Tape.of(in);
        int[] first = in[0].shape();
        int a = Axes.normalize("concat", axis, first);
        int total = 0;
        for (Var v : in) {
            int[] s = v.shape();
            boolean ok = s.length == first.length;
            for (int i = 0; ok && i < s.length; i++) {
                ok = i == a || s[i] == first[i];
            }
            if (!ok) {
                throw new IllegalArgumentException("concat along axis " + axis + ": shape " + Shapes.toString(s)
                        + " does not match " + Shapes.toString(first));
            }
            total += s[a];
        }
        int[] outShape = first.clone();
        outShape[a] = total;
        int joined = total;
        int outer = Axes.outer(first, a), inner = Axes.inner(first, a);
        Tensor y = t.alloc(outShape);
        int at = 0;
        int[] starts = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            starts[i] = at;
            Tensor v = in[i].value();
            copyBlocks(v.data(), v.offset(), v.dim(a), 0, y.data(), y.offset(), total, at, v.dim(a), outer, inner, false);
            at += v.dim(a);
        }
        Var out = t.output("concat", y, t.needsGrad(in));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                for (int i = 0; i < in.length; i++) {
                    if (in[i].requiresGrad()) {
                        Tensor dx = t.gradOf(in[i]);
                        int len = dx.dim(a);
                        copyBlocks(dy.data(), dy.offset(), joined, starts[i], dx.data(), dx.offset(), len, 0, len,
                                outer, inner, true);
                    }
                }
            });
        }
        return out;
    }

    /** The slice {@code [start, start + length)} of {@code axis} (a copy). */
    public static Var narrow(Var x, int axis, int start, int length) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] s = xv.shape();
        int a = Axes.normalize("narrow", axis, s);
        if (start < 0 || length < 0 || start + length > s[a]) {
            throw new IllegalArgumentException("narrow: [" + start + ", " + (start + length) + ") is outside axis "
                    + axis + " of shape " + Shapes.toString(s));
        }
        int[] outShape = s.clone();
        outShape[a] = length;
        int outer = Axes.outer(s, a), inner = Axes.inner(s, a);
        Tensor y = t.alloc(outShape);
        copyBlocks(xv.data(), xv.offset(), s[a], start, y.data(), y.offset(), length, 0, length, outer, inner, false);
        Var out = t.output("narrow", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                copyBlocks(dy.data(), dy.offset(), length, 0, dx.data(), dx.offset(), s[a], start, length, outer, inner, true);
            });
        }
        return out;
    }

    /** Cuts {@code axis} into consecutive pieces of the given sizes (which must add up to its length). */
    public static List<Var> split(Var x, int axis, int... sizes) {
        int a = Axes.normalize("split", axis, x.shape());
        int sum = 0;
        for (int s : sizes) {
            sum += s;
        }
        if (sum != x.dim(a)) {
            throw new IllegalArgumentException("split: sizes " + Arrays.toString(sizes) + " add up to " + sum
                    + ", not to " + x.dim(a) + " (axis " + axis + " of " + Shapes.toString(x.shape()) + ")");
        }
        List<Var> parts = new ArrayList<>(sizes.length);
        int at = 0;
        for (int s : sizes) {
            parts.add(narrow(x, a, at, s));
            at += s;
        }
        return parts;
    }

    /** Pads {@code axis} with {@code before} and {@code after} entries of {@code value}. */
    public static Var pad(Var x, int axis, int before, int after, float value) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] s = xv.shape();
        int a = Axes.normalize("pad", axis, s);
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("pad: negative padding " + before + ", " + after);
        }
        int[] outShape = s.clone();
        outShape[a] = s[a] + before + after;
        int outer = Axes.outer(s, a), inner = Axes.inner(s, a);
        Tensor y = t.alloc(outShape);
        y.fill(value);
        copyBlocks(xv.data(), xv.offset(), s[a], 0, y.data(), y.offset(), outShape[a], before, s[a], outer, inner, false);
        Var out = t.output("pad", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                copyBlocks(dy.data(), dy.offset(), outShape[a], before, dx.data(), dx.offset(), s[a], 0, s[a],
                        outer, inner, true);
            });
        }
        return out;
    }

    /**
     * For each of {@code outer} blocks, copies (or with {@code add}, adds) {@code len * inner}
     * contiguous elements from position {@code srcAt} of a source axis of length {@code srcLen}
     * to position {@code dstAt} of a destination axis of length {@code dstLen}.
     */
    static void copyBlocks(float[] src, int srcOff, int srcLen, int srcAt, float[] dst, int dstOff, int dstLen,
                           int dstAt, int len, int outer, int inner, boolean add) {
        int run = len * inner;
        if (run == 0) {
            return;
        }
        Parallel.parallelFor(outer, Math.max(1, (1 << 14) / run), (s, e) -> {
            for (int o = s; o < e; o++) {
                int si = srcOff + (o * srcLen + srcAt) * inner;
                int di = dstOff + (o * dstLen + dstAt) * inner;
                if (add) {
                    K.add(dst, di, src, si, dst, di, run);
                } else {
                    System.arraycopy(src, si, dst, di, run);
                }
            }
        });
    }
}
