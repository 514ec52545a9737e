package dev.lanes.zoo.models.googlenet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;

/** Convolution (no bias), batch norm (eps 1e-3), ReLU: torchvision's {@code BasicConv2d} ({@code conv}, {@code bn}). */
public final class BasicConv2d extends Module {
    private final Conv2d conv;
    private final BatchNorm2d bn;

    public BasicConv2d(int in, int out, int kernel, int padding) {
        conv = addModule("conv", new Conv2d(in, out, kernel, 1, padding, 1, 1, false));
        bn = addModule("bn", new BatchNorm2d(out, 1e-3f, 0.1f, true, true));
    }

    @Override
    public Var forward(Var x) {
        return F.relu(bn.forward(conv.forward(x)));
    }
}
