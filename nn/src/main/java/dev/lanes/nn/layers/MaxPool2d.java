package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

public class MaxPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;

    /** Stride = kernel, no padding (PyTorch's default). */
    public MaxPool2d(int kernel) {
        this(kernel, kernel, 0);
    }

    public MaxPool2d(int kernel, int stride, int padding) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.maxPool2d(x, kernel, stride, padding));
    }

    @Override
    public String toString() {
        return "MaxPool2d(kernel=" + kernel + ", stride=" + stride + (padding != 0 ? ", padding=" + padding : "") + ")";
    }
}
