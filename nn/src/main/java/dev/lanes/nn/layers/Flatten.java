package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Flattens dimensions from {@code startDim} (default 1) on; a view, no copy. */
public class Flatten extends Module {
    private final int startDim;

    public Flatten() {
        this(1);
    }

    public Flatten(int startDim) {
        this.startDim = startDim;
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.flatten(x, startDim));
    }
}
