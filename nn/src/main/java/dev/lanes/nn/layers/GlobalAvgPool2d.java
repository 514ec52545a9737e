package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** {@code [N, C, H, W] -> [N, C, 1, 1]}, PyTorch's {@code AdaptiveAvgPool2d(1)}. */
public class GlobalAvgPool2d extends Module {
    @Override
    public Var forward(Var x) {
        return layerOutput(F.globalAvgPool2d(x));
    }
}
