package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.conv.ConvShape;

/**
 * Patch extraction (im2col) for layers that apply a function to every receptive field, such
 * as the KAN convolution: each output position's {@code C x kh x kw} inputs become one row.
 */
public final class Unfold {
    private Unfold() {
    }

    /**
     * {@code [N, C, H, W] -> [N, OH * OW, C * kh * kw]}: row {@code oy * OW + ox} of image
     * {@code n} holds its receptive field in PyTorch's {@code unfold} order (channel, then
     * kernel row, then kernel column), zeros where it overlaps the padding. The backward pass
     * adds every row back onto the pixels it came from (col2im), one image per task.
     */
    public static Var unfold(Var x, int kh, int kw, int stride, int pad) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        if (xv.rank() != 4) {
            throw new IllegalArgumentException("unfold: input " + Shapes.toString(xv.shape()) + " must be [N, C, H, W]");
        }
        if (kh < 1 || kw < 1 || stride < 1 || pad < 0) {
            throw new IllegalArgumentException("unfold: kernel " + kh + "x" + kw + ", stride " + stride + ", padding "
                    + pad + " must be positive (padding >= 0)");
        }
        int n = xv.dim(0), c = xv.dim(1), h = xv.dim(2), w = xv.dim(3);
        int oh = ConvShape.outSize(h, kh, stride, pad, 1), ow = ConvShape.outSize(w, kw, stride, pad, 1);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("unfold: a " + kh + "x" + kw + " kernel with padding " + pad
                    + " does not fit input " + Shapes.toString(xv.shape()));
        }
        int cols = c * kh * kw, positions = oh * ow;
        Tensor y = t.alloc(n, positions, cols);
        float[] xa = xv.data(), ya = y.data();
        int xo = xv.offset(), yo = y.offset();
        Parallel.parallelFor(n * oh, 1, (s, e) -> {
            for (int row = s; row < e; row++) {
                int img = row / oh, oy = row % oh;
                for (int ox = 0; ox < ow; ox++) {
                    int dst = yo + (img * positions + oy * ow + ox) * cols;
                    for (int ch = 0; ch < c; ch++) {
                        int src = xo + (img * c + ch) * h * w;
                        for (int ky = 0; ky < kh; ky++) {
                            int iy = oy * stride - pad + ky;
                            for (int kx = 0; kx < kw; kx++) {
                                int ix = ox * stride - pad + kx;
                                ya[dst++] = iy >= 0 && iy < h && ix >= 0 && ix < w ? xa[src + iy * w + ix] : 0f;
                            }
                        }
                    }
                }
            }
        });
        Var out = t.output("unfold", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                int dOff = dx.offset(), gOff = dy.offset();
                // one task per image: every pixel's sum is taken in the same order on any thread count
                Parallel.parallelFor(n, 1, (s, e) -> {
                    for (int img = s; img < e; img++) {
                        for (int p = 0; p < positions; p++) {
                            int oy = p / ow, ox = p % ow, src = gOff + (img * positions + p) * cols;
                            for (int ch = 0; ch < c; ch++) {
                                int dst = dOff + (img * c + ch) * h * w;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = oy * stride - pad + ky;
                                    for (int kx = 0; kx < kw; kx++, src++) {
                                        int ix = ox * stride - pad + kx;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            da[dst + iy * w + ix] += ga[src];
                                        }
                                    }
                                }
                            }
                        }
                    }
                });
            });
        }
        return out;
    }
}
