package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.conv.Pool2d;
import dev.lanes.tensor.conv.PoolShape;

/** Max, average and global average pooling on the kernel entry points of {@link Pool2d}. */
public final class Pooling {
    private Pooling() {
    }

    private static PoolShape shape(String op, Tensor x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": input must be [N, C, H, W], got " + Shapes.toString(x.shape()));
        }
        return new PoolShape(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kh, kw, strideH, strideW, padH, padW);
    }

    public static Var maxPool2d(Var x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        PoolShape s = shape("maxPool2d", xv, kh, kw, strideH, strideW, padH, padW);
        Tensor y = t.alloc(s.outputShape());
        int[] argmax = t.allocInts(y.size());
        Pool2d.maxForward(s, xv.data(), xv.offset(), y.data(), y.offset(), argmax, 0);
        t.addFlops((long) y.size() * kh * kw);
        Var out = t.output("maxPool2d", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                Pool2d.maxBackward(s, dy.data(), dy.offset(), argmax, 0, dx.data(), dx.offset());
            });
        }
        return out;
    }

    /** Average pooling; {@code countPad} is PyTorch's {@code count_include_pad} (its default is true). */
    public static Var avgPool2d(Var x, int kh, int kw, int strideH, int strideW, int padH, int padW, boolean countPad) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        PoolShape s = shape("avgPool2d", xv, kh, kw, strideH, strideW, padH, padW);
        Tensor y = t.alloc(s.outputShape());
        Pool2d.avgForward(s, countPad, xv.data(), xv.offset(), y.data(), y.offset());
        t.addFlops((long) y.size() * kh * kw);
        Var out = t.output("avgPool2d", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                Pool2d.avgBackward(s, countPad, dy.data(), dy.offset(), dx.data(), dx.offset());
            });
        }
        return out;
    }

    /** Mean over each plane: {@code [N, C, H, W] -> [N, C, 1, 1]} (PyTorch's {@code AdaptiveAvgPool2d(1)}). */
    public static Var globalAvgPool2d(Var x) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        if (xv.rank() != 4) {
            throw new IllegalArgumentException("globalAvgPool2d: input must be [N, C, H, W], got " + Shapes.toString(xv.shape()));
        }
        int n = xv.dim(0), c = xv.dim(1), plane = xv.dim(2) * xv.dim(3);
        Tensor y = t.alloc(n, c, 1, 1);
        Pool2d.globalAvgForward(n, c, plane, xv.data(), xv.offset(), y.data(), y.offset());
        t.addFlops(xv.size());
        Var out = t.output("globalAvgPool2d", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                Pool2d.globalAvgBackward(n, c, plane, dy.data(), dy.offset(), dx.data(), dx.offset());
            });
        }
        return out;
    }
}
