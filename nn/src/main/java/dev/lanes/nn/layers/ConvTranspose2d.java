package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.init.Init;
import dev.lanes.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Transposed 2-D convolution, weight {@code [in, out/groups, kh, kw]} (PyTorch's layout);
 * arguments in PyTorch's order (in, out, kernel, stride, padding, output padding, groups, bias, dilation).
 */
public class ConvTranspose2d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int outputPadding;
    private final int groups;
    private final int dilation;
    private final Var weight;
    private final Var bias;

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, 0, 1, true, 1);
    }

    public ConvTranspose2d(int in, int out, int kernel, int stride, int padding, int outputPadding, int groups,
                           boolean bias, int dilation) {
        if (groups < 1 || in % groups != 0 || out % groups != 0) {
            throw new IllegalArgumentException("ConvTranspose2d: " + in + " input and " + out
                    + " output channels must be divisible by groups=" + groups);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.outputPadding = outputPadding;
        this.groups = groups;
        this.dilation = dilation;
        this.weight = addParameter("weight", Tensor.zeros(in, out / groups, kernel, kernel));
        this.bias = bias ? addParameter("bias", Tensor.zeros(out), false) : null;
        resetParameters(constructionRandom());
    }

    @Override
    protected void resetParameters(SplittableRandom random) {
        Init.pytorchDefault(weight.value(), bias == null ? null : bias.value(), random);
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.convTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation, groups));
    }

    public Var weight() {
        return weight;
    }

    public Var bias() {
        return bias;
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + in + ", " + out + ", kernel=" + kernel + ", stride=" + stride
                + (padding != 0 ? ", padding=" + padding : "") + (outputPadding != 0 ? ", output_padding=" + outputPadding : "")
                + (groups != 1 ? ", groups=" + groups : "") + (dilation != 1 ? ", dilation=" + dilation : "")
                + (bias == null ? ", bias=false" : "") + ")";
    }
}
