package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.init.Init;
import dev.lanes.tensor.Tensor;

import java.util.SplittableRandom;

/** 2-D convolution, weight {@code [out, in/groups, kh, kw]} (PyTorch's layout), PyTorch's default initialization. */
public class Conv2d extends Module {
    private final int in;
    private final int out;
    private final int kh;
    private final int kw;
    private final int strideH;
    private final int strideW;
    private final int padH;
    private final int padW;
    private final int dilH;
    private final int dilW;
    private final int groups;
    private final Var weight;
    private final Var bias;

    public Conv2d(int in, int out, int kernel) {
        this(in, out, kernel, 1, 0);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, 1, 1, true);
    }

    public Conv2d(int in, int out, int kernel, int stride, int padding, int dilation, int groups, boolean bias) {
        this(in, out, kernel, kernel, stride, stride, padding, padding, dilation, dilation, groups, bias);
    }

    public Conv2d(int in, int out, int kh, int kw, int strideH, int strideW, int padH, int padW,
                  int dilH, int dilW, int groups, boolean bias) {
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("Conv2d: " + in + " input and " + out
                    + " output channels must be divisible by groups=" + groups);
        }
        this.in = in;
        this.out = out;
        this.kh = kh;
        this.kw = kw;
        this.strideH = strideH;
        this.strideW = strideW;
        this.padH = padH;
        this.padW = padW;
        this.dilH = dilH;
        this.dilW = dilW;
        this.groups = groups;
        this.weight = addParameter("weight", Tensor.zeros(out, in / groups, kh, kw));
        this.bias = bias ? addParameter("bias", Tensor.zeros(out), false) : null;
        resetParameters(constructionRandom());
    }

    @Override
    protected void resetParameters(SplittableRandom random) {
        Init.pytorchDefault(weight.value(), bias == null ? null : bias.value(), random);
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.conv2d(x, weight, bias, strideH, strideW, padH, padW, dilH, dilW, groups));
    }

    public Var weight() {
        return weight;
    }

    /** The bias, or null. */
    public Var bias() {
        return bias;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Conv2d(").append(in).append(", ").append(out)
                .append(", kernel=").append(kh == kw ? "" + kh : kh + "x" + kw);
        if (strideH != 1 || strideW != 1) {
            sb.append(", stride=").append(strideH == strideW ? "" + strideH : strideH + "x" + strideW);
        }
        if (padH != 0 || padW != 0) {
            sb.append(", padding=").append(padH == padW ? "" + padH : padH + "x" + padW);
        }
        if (dilH != 1 || dilW != 1) {
            sb.append(", dilation=").append(dilH == dilW ? "" + dilH : dilH + "x" + dilW);
        }
        if (groups != 1) {
            sb.append(", groups=").append(groups);
        }
        if (bias == null) {
            sb.append(", bias=false");
        }
        return sb.append(')').toString();
    }
}
