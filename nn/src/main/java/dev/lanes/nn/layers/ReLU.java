package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Rectified linear unit. */
public class ReLU extends Module {
    @Override
    public Var forward(Var x) {
        return layerOutput(F.relu(x));
    }
}
