package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Exact (erf) GELU. */
public class GELU extends Module {
    @Override
    public Var forward(Var x) {
        return layerOutput(F.gelu(x));
    }
}
