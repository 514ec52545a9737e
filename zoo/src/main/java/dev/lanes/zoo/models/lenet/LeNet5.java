package dev.lanes.zoo.models.lenet;

import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.AvgPool2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.nn.layers.Tanh;
import dev.lanes.zoo.ModelInput;

/**
 * LeNet-5 (LeCun et al. 1998) as the notebook this project grew from built it: on 32x32 inputs
 * (MNIST padded by 2), conv 6@5x5, tanh, 2x2 average pooling, conv 16@5x5, tanh, 2x2 average
 * pooling, then fully connected 400-120-84-10 with tanh between. The modern variant uses ReLU
 * and max pooling. Parameters are named as in the usual PyTorch module ({@code conv1.weight},
 * {@code fc3.bias}); other input sizes change only the width of {@code fc1}.
 */
public final class LeNet5 extends Module {
    /** The activation and pooling of both variants. */
    public enum Variant {
        /** tanh and average pooling, as in the paper and the notebook. */
        CLASSIC,
        /** ReLU and max pooling. */
        MODERN
    }

    private final Variant variant;
    private final Module conv1, act1, pool1, conv2, act2, pool2, flatten, fc1, act3, fc2, act4, fc3;

    public LeNet5(ModelInput input, Variant variant) {
        this.variant = variant;
        int h = (input.height() - 4) / 2, w = (input.width() - 4) / 2;
        h = (h - 4) / 2;
        w = (w - 4) / 2;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("LeNet-5 needs images of at least 16x16, got " + input.height() + "x"
                    + input.width());
        }
        boolean modern = variant == Variant.MODERN;
        conv1 = addModule("conv1", new Conv2d(input.channels(), 6, 5));
        act1 = addModule("act1", modern ? new ReLU() : new Tanh());
        pool1 = addModule("pool1", modern ? new MaxPool2d(2) : new AvgPool2d(2));
        conv2 = addModule("conv2", new Conv2d(6, 16, 5));
        act2 = addModule("act2", modern ? new ReLU() : new Tanh());
        pool2 = addModule("pool2", modern ? new MaxPool2d(2) : new AvgPool2d(2));
        flatten = addModule("flatten", new Flatten());
        fc1 = addModule("fc1", new Linear(16 * h * w, 120));
        act3 = addModule("act3", modern ? new ReLU() : new Tanh());
        fc2 = addModule("fc2", new Linear(120, 84));
        act4 = addModule("act4", modern ? new ReLU() : new Tanh());
        fc3 = addModule("fc3", new Linear(84, input.classes()));
    }

    public Variant variant() {
        return variant;
    }

    @Override
    public Var forward(Var x) {
        Var c1 = pool1.forward(act1.forward(conv1.forward(x)));        // C1 + S2: 6 maps
        Var c3 = pool2.forward(act2.forward(conv2.forward(c1)));       // C3 + S4: 16 maps
        Var f5 = act3.forward(fc1.forward(flatten.forward(c3)));       // C5 (a full connection on 5x5 maps)
        Var f6 = act4.forward(fc2.forward(f5));                        // F6
        return fc3.forward(f6);                                        // the output layer
    }

    @Override
    public String toString() {
        return "LeNet5(" + variant.name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
