package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** x * sigmoid(x). */
public class SiLU extends Module {
    @Override
    public Var forward(Var x) {
        return layerOutput(F.silu(x));
    }
}
