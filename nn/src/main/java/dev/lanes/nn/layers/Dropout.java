package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Dropout in training mode, identity in eval mode; masks come from the tape's seed (see {@code ops.Dropout}). */
public class Dropout extends Module {
    private final float p;

    public Dropout(float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("Dropout: probability " + p + " is outside [0, 1]");
        }
        this.p = p;
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.dropout(x, p, isTraining()));
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
