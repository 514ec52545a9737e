package dev.lanes.tensor.conv;

/**
 * The geometry of a 2-D convolution on NCHW data: input {@code [n, cIn, h, w]}, weight
 * {@code [cOut, cIn/groups, kh, kw]} (PyTorch's layout), output {@code [n, cOut, outH, outW]}.
 * The constructor checks everything and names the shapes in its message.
 */
public record ConvShape(int n, int cIn, int h, int w, int cOut, int kh, int kw,
                        int strideH, int strideW, int padH, int padW, int dilH, int dilW, int groups) {

    public ConvShape {
        if (n < 1 || cIn < 1 || h < 1 || w < 1 || cOut < 1 || kh < 1 || kw < 1) {
            throw new IllegalArgumentException("conv2d: sizes must be >= 1: " + describe(n, cIn, h, w, cOut, kh, kw));
        }
        if (strideH < 1 || strideW < 1 || dilH < 1 || dilW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride " + strideH + "x" + strideW + ", dilation "
                    + dilH + "x" + dilW + " must be >= 1 and padding " + padH + "x" + padW + " >= 0");
        }
        if (groups < 1 || cIn % groups != 0 || cOut % groups != 0) {
            throw new IllegalArgumentException("conv2d: " + cIn + " input and " + cOut
                    + " output channels are not both divisible by groups=" + groups);
        }
        int oh = outSize(h, kh, strideH, padH, dilH);
        int ow = outSize(w, kw, strideW, padW, dilW);
        if (oh < 1 || ow < 1) {
            throw new IllegalArgumentException("conv2d: input [" + n + ", " + cIn + ", " + h + ", " + w
                    + "] with kernel " + kh + "x" + kw + ", stride " + strideH + "x" + strideW + ", padding "
                    + padH + "x" + padW + ", dilation " + dilH + "x" + dilW + " gives an empty output "
                    + oh + "x" + ow);
        }
    }

    /** Square kernel, equal strides, paddings and dilations in both directions. */
    public static ConvShape of(int n, int cIn, int h, int w, int cOut, int k, int stride, int pad, int dil, int groups) {
        return new ConvShape(n, cIn, h, w, cOut, k, k, stride, stride, pad, pad, dil, dil, groups);
    }

    /** Builds the shape from tensor shapes {@code x = [n, cIn, h, w]} and {@code weight = [cOut, cIn/groups, kh, kw]}. */
    public static ConvShape fromTensors(int[] x, int[] weight, int strideH, int strideW, int padH, int padW,
                                       int dilH, int dilW, int groups) {
        if (x.length != 4 || weight.length != 4) {
            throw new IllegalArgumentException("conv2d: input " + java.util.Arrays.toString(x) + " and weight "
                    + java.util.Arrays.toString(weight) + " must both have rank 4 (NCHW, [out, in/groups, kh, kw])");
        }
        if (groups < 1 || x[1] % groups != 0 || weight[1] * groups != x[1]) {
            throw new IllegalArgumentException("conv2d: weight " + java.util.Arrays.toString(weight)
                    + " does not match input " + java.util.Arrays.toString(x) + " with groups=" + groups
                    + " (weight dim 1 must be in_channels/groups)");
        }
        return new ConvShape(x[0], x[1], x[2], x[3], weight[0], weight[2], weight[3],
                strideH, strideW, padH, padW, dilH, dilW, groups);
    }

    public static int outSize(int in, int k, int stride, int pad, int dil) {
        return Math.floorDiv(in + 2 * pad - dil * (k - 1) - 1, stride) + 1;
    }

    public int outH() {
        return outSize(h, kh, strideH, padH, dilH);
    }

    public int outW() {
        return outSize(w, kw, strideW, padW, dilW);
    }

    public int[] inputShape() {
        return new int[] {n, cIn, h, w};
    }

    public int[] weightShape() {
        return new int[] {cOut, cIn / groups, kh, kw};
    }

    public int[] outputShape() {
        return new int[] {n, cOut, outH(), outW()};
    }

    /** Multiply-accumulates of the forward pass. */
    public long macs() {
        return (long) n * cOut * outH() * outW() * (cIn / groups) * kh * kw;
    }

    private static String describe(int n, int cIn, int h, int w, int cOut, int kh, int kw) {
        return "input [" + n + ", " + cIn + ", " + h + ", " + w + "], " + cOut + " output channels, kernel " + kh + "x" + kw;
    }
}
