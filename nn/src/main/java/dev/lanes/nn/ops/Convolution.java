package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.conv.Conv2d;
import dev.lanes.tensor.conv.ConvShape;

/**
 * Convolution and transposed convolution on the kernel entry points of
 * {@link dev.lanes.tensor.conv.Conv2d} (whatever implementation they dispatch to). A transposed
 * convolution is the data gradient of the convolution that shares its weight, and its data
 * gradient is that convolution's forward pass.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * 2-D convolution of x {@code [N, Cin, H, W]} with w {@code [Cout, Cin/groups, kh, kw]} and
     * bias b {@code [Cout]} (or null).
     */
    public static Var conv2d(Var x, Var w, Var b, int strideH, int strideW, int padH, int padW,
                             int dilH, int dilW, int groups) {
        Tape t = Tape.of(x, w, b);
        Tensor xv = x.value(), wv = w.value();
        ConvShape s = ConvShape.fromTensors(xv.shape(), wv.shape(), strideH, strideW, padH, padW, dilH, dilW, groups);
        Tensor bv = checkBias("conv2d", b, s.cOut());
        Tensor y = t.alloc(s.outputShape());
        Conv2d.forward(s, xv.data(), xv.offset(), wv.data(), wv.offset(),
                bv == null ? null : bv.data(), bv == null ? 0 : bv.offset(), y.data(), y.offset());
        t.addFlops(2 * s.macs());
        Var out = t.output("conv2d", y, t.needsGrad(x, w, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                if (x.requiresGrad()) {
                    Tensor dx = t.gradOf(x);
                    Conv2d.backwardData(s, dy.data(), dy.offset(), wv.data(), wv.offset(), dx.data(), dx.offset());
                }
                boolean needW = w.requiresGrad(), needB = b != null && b.requiresGrad();
                if (needW || needB) {
                    Tensor dw = needW ? t.gradOf(w) : t.allocZeroed(wv.shape());
                    Tensor db = needB ? t.gradOf(b) : null;
                    Conv2d.backwardWeights(s, xv.data(), xv.offset(), dy.data(), dy.offset(), dw.data(), dw.offset(),
                            db == null ? null : db.data(), db == null ? 0 : db.offset());
                }
            });
        }
        return out;
    }

    /**
     * Transposed convolution of x {@code [N, Cin, H, W]} with w {@code [Cin, Cout/groups, kh, kw]}
     * (PyTorch's layout) and bias {@code [Cout]}; output size
     * {@code (H - 1) * stride - 2 * pad + dil * (k - 1) + outputPadding + 1}.
     */
    public static Var convTranspose2d(Var x, Var w, Var b, int strideH, int strideW, int padH, int padW,
                                      int outPadH, int outPadW, int dilH, int dilW, int groups) {
        Tape t = Tape.of(x, w, b);
        Tensor xv = x.value(), wv = w.value();
        int[] xs = xv.shape(), ws = wv.shape();
        if (xs.length != 4 || ws.length != 4 || ws[0] != xs[1] || groups < 1 || xs[1] % groups != 0) {
            throw new IllegalArgumentException("convTranspose2d: input " + Shapes.toString(xs) + " does not match weight "
                    + Shapes.toString(ws) + " ([in, out/groups, kh, kw], groups=" + groups + ")");
        }
        if (outPadH < 0 || outPadW < 0 || outPadH >= strideH || outPadW >= strideW) {
            throw new IllegalArgumentException("convTranspose2d: output padding " + outPadH + "x" + outPadW
                    + " must be >= 0 and smaller than the stride " + strideH + "x" + strideW);
        }
        int cOut = ws[1] * groups;
        int oh = (xs[2] - 1) * strideH - 2 * padH + dilH * (ws[2] - 1) + outPadH + 1;
        int ow = (xs[3] - 1) * strideW - 2 * padW + dilW * (ws[3] - 1) + outPadW + 1;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("convTranspose2d: input " + Shapes.toString(xs) + " with weight "
                    + Shapes.toString(ws) + " gives an empty output " + oh + "x" + ow);
        }
        // the convolution whose data gradient this is: its input is our output, its output our input
        ConvShape s = new ConvShape(xs[0], cOut, oh, ow, xs[1], ws[2], ws[3], strideH, strideW, padH, padW,
                dilH, dilW, groups);
        if (s.outH() != xs[2] || s.outW() != xs[3]) {
            throw new IllegalStateException("convTranspose2d: geometry mismatch " + s);
        }
        Tensor bv = checkBias("convTranspose2d", b, cOut);
        Tensor y = t.allocZeroed(xs[0], cOut, oh, ow);
        Conv2d.backwardData(s, xv.data(), xv.offset(), wv.data(), wv.offset(), y.data(), y.offset());
        int plane = oh * ow;
        if (bv != null) {
            addChannelBias(y, bv, xs[0], cOut, plane);
        }
        t.addFlops(2 * s.macs());
        Var out = t.output("convTranspose2d", y, t.needsGrad(x, w, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                if (x.requiresGrad()) {
                    Tensor dx = t.gradOf(x);
                    Tensor tmp = t.alloc(xs);
                    Conv2d.forward(s, dy.data(), dy.offset(), wv.data(), wv.offset(), null, 0, tmp.data(), tmp.offset());
                    Pointwise.addInto(dx, tmp);
                }
                if (w.requiresGrad()) {
                    Tensor dw = t.gradOf(w);
                    Conv2d.backwardWeights(s, dy.data(), dy.offset(), xv.data(), xv.offset(), dw.data(), dw.offset(), null, 0);
                }
                if (b != null && b.requiresGrad()) {
                    sumChannelsInto(dy, xs[0], cOut, plane, t.gradOf(b));
                }
            });
        }
        return out;
    }

    private static Tensor checkBias(String op, Var b, int channels) {
        if (b == null) {
            return null;
        }
        if (b.rank() != 1 || b.dim(0) != channels) {
            throw new IllegalArgumentException(op + ": bias " + Shapes.toString(b.shape()) + " must be [" + channels + "]");
        }
        return b.value();
    }

    /** {@code y[n, c, :] += bias[c]}. */
    static void addChannelBias(Tensor y, Tensor bias, int n, int c, int plane) {
        float[] ya = y.data(), ba = bias.data();
        int yo = y.offset(), bo = bias.offset();
        Parallel.parallelFor(n * c, Math.max(1, (1 << 14) / plane), (s, e) -> {
            for (int p = s; p < e; p++) {
                VectorMath.kernels().addScalar(ba[bo + p % c], ya, yo + p * plane, ya, yo + p * plane, plane);
            }
        });
    }

    /** {@code target[c] += sum over n and the plane of g[n, c, :]}, per channel in a fixed order. */
    static void sumChannelsInto(Tensor g, int n, int c, int plane, Tensor target) {
        float[] ga = g.data(), ta = target.data();
        int go = g.offset(), to = target.offset();
        Parallel.parallelFor(c, 1, (s, e) -> {
            for (int ch = s; ch < e; ch++) {
                double acc = 0;
                for (int b = 0; b < n; b++) {
                    int base = go + (b * c + ch) * plane;
                    for (int i = 0; i < plane; i++) {
                        acc += ga[base + i];
                    }
                }
                ta[to + ch] += (float) acc;
            }
        });
    }
}
