package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Logistic sigmoid. */
public class Sigmoid extends Module {
    @Override
    public Var forward(Var x) {
        return layerOutput(F.sigmoid(x));
    }
}
