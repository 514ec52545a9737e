package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** {@code x > 0 ? x : slope * x}; PyTorch's default slope is 0.01. */
public class LeakyReLU extends Module {
    private final float slope;

    public LeakyReLU() {
        this(0.01f);
    }

    public LeakyReLU(float negativeSlope) {
        this.slope = negativeSlope;
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.leakyRelu(x, slope));
    }

    @Override
    public String toString() {
        return "LeakyReLU(" + slope + ")";
    }
}
