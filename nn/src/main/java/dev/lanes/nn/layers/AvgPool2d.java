package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

public class AvgPool2d extends Module {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean countIncludePad;

    /** Stride = kernel, no padding (PyTorch's default). */
    public AvgPool2d(int kernel) {
        this(kernel, kernel, 0, true);
    }

    public AvgPool2d(int kernel, int stride, int padding, boolean countIncludePad) {
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.avgPool2d(x, kernel, stride, padding, countIncludePad));
    }

    @Override
    public String toString() {
        return "AvgPool2d(kernel=" + kernel + ", stride=" + stride + (padding != 0 ? ", padding=" + padding : "") + ")";
    }
}
