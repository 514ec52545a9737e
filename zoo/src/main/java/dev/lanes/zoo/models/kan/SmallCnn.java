package dev.lanes.zoo.models.kan;

import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.zoo.ModelInput;

/**
 * The ordinary CNN that {@link ConvKan} is compared with (as Bodner et al. compare theirs):
 * conv 16@3x3, ReLU, max pool, conv 32@3x3, ReLU, max pool, linear; about the parameter count
 * of the KAN convolutions with a linear head.
 */
public final class SmallCnn extends Module {
    private final Module conv1, act1, pool1, conv2, act2, pool2, flatten, fc;

    public SmallCnn(ModelInput input) {
        int h = input.height() / 4, w = input.width() / 4;
        conv1 = addModule("conv1", new Conv2d(input.channels(), 16, 3, 1, 1));
        act1 = addModule("act1", new ReLU());
        pool1 = addModule("pool1", new MaxPool2d(2));
        conv2 = addModule("conv2", new Conv2d(16, 32, 3, 1, 1));
        act2 = addModule("act2", new ReLU());
        pool2 = addModule("pool2", new MaxPool2d(2));
        flatten = addModule("flatten", new Flatten());
        fc = addModule("fc", new Linear(32 * h * w, input.classes()));
    }

    @Override
    public Var forward(Var x) {
        Var f1 = pool1.forward(act1.forward(conv1.forward(x)));
        Var f2 = pool2.forward(act2.forward(conv2.forward(f1)));
        return fc.forward(flatten.forward(f2));
    }
}
