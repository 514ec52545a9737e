package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.init.Init;
import dev.lanes.tensor.Tensor;

import java.util.SplittableRandom;

/** {@code y = x W^T + b}, weight {@code [out, in]} (PyTorch's layout), PyTorch's default initialization. */
public class Linear extends Module {
    private final int in;
    private final int out;
    private final Var weight;
    private final Var bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this.in = inFeatures;
        this.out = outFeatures;
        this.weight = addParameter("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? addParameter("bias", Tensor.zeros(outFeatures), false) : null;
        resetParameters(constructionRandom());
    }

    @Override
    protected void resetParameters(SplittableRandom random) {
        Init.pytorchDefault(weight.value(), bias == null ? null : bias.value(), random);
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.linear(x, weight, bias));
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
        return "Linear(" + in + ", " + out + (bias == null ? ", bias=false" : "") + ")";
    }
}
