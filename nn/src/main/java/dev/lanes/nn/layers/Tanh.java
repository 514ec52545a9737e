package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Hyperbolic tangent. */
public class Tanh extends Module {
    @Override
    public Var forward(Var x) {
        return layerOutput(F.tanh(x));
    }
}
