package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Softmax along one axis. */
public class Softmax extends Module {
    private final int axis;

    public Softmax(int axis) {
        this.axis = axis;
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.softmax(x, axis));
    }

    @Override
    public String toString() {
        return "Softmax(axis=" + axis + ")";
    }
}
