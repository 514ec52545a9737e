package dev.lanes.zoo.models.densenet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;

/** The transition between dense blocks: BN, ReLU, conv 1x1 (the compression), 2x2 average pool ({@code norm}, {@code conv}). */
public final class Transition extends Module {
    private final BatchNorm2d norm;
    private final Conv2d conv;

    public Transition(int in, int out) {
        norm = addModule("norm", new BatchNorm2d(in));
        conv = addModule("conv", new Conv2d(in, out, 1, 1, 0, 1, 1, false));
    }

    @Override
    public Var forward(Var x) {
        return F.avgPool2d(conv.forward(F.relu(norm.forward(x))), 2);
    }
}
