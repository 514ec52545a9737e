package dev.lanes.tensor.conv;

/**
 * The geometry of 2-D pooling on NCHW data: input {@code [n, c, h, w]}, output
 * {@code [n, c, outH, outW]} with PyTorch's floor rule. Padding may not exceed half the kernel
 * (PyTorch's rule), so every window overlaps the input.
 */
public record PoolShape(int n, int c, int h, int w, int kh, int kw, int strideH, int strideW, int padH, int padW) {

    public PoolShape {
        if (n < 1 || c < 1 || h < 1 || w < 1 || kh < 1 || kw < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("pool2d: input [" + n + ", " + c + ", " + h + ", " + w + "], kernel "
                    + kh + "x" + kw + ", stride " + strideH + "x" + strideW + ": all must be >= 1");
        }
        if (padH < 0 || padW < 0 || 2 * padH > kh || 2 * padW > kw) {
            throw new IllegalArgumentException("pool2d: padding " + padH + "x" + padW
                    + " must be >= 0 and at most half the kernel " + kh + "x" + kw);
        }
        int oh = Math.floorDiv(h + 2 * padH - kh, strideH) + 1;
        int ow = Math.floorDiv(w + 2 * padW - kw, strideW) + 1;
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("pool2d: input [" + n + ", " + c + ", " + h + ", " + w + "] with kernel "
                    + kh + "x" + kw + " and padding " + padH + "x" + padW + " gives an empty output " + oh + "x" + ow);
        }
    }

    public static PoolShape of(int n, int c, int h, int w, int k, int stride, int pad) {
        return new PoolShape(n, c, h, w, k, k, stride, stride, pad, pad);
    }

    public int outH() {
        return Math.floorDiv(h + 2 * padH - kh, strideH) + 1;
    }

    public int outW() {
        return Math.floorDiv(w + 2 * padW - kw, strideW) + 1;
    }

    public int[] outputShape() {
        return new int[] {n, c, outH(), outW()};
    }
}
