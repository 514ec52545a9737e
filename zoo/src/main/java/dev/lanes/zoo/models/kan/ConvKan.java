package dev.lanes.zoo.models.kan;

import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Identity;
import dev.lanes.nn.layers.KANConv2d;
import dev.lanes.nn.layers.KANLinear;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.zoo.ModelInput;

/**
 * A convolutional KAN in the manner of Bodner et al. 2024: two 3x3 KAN convolutions (8 and 16
 * channels, padding 1), each followed by 2x2 max pooling and optionally by batch norm, then a
 * KAN ("KKAN") or a linear ("KANC MLP") classifier on the flattened maps. The first
 * convolution's grid spans the pixel range {@code [0, 1]}.
 */
public final class ConvKan extends Module {
    /** The classifier on the convolutional features. */
    public enum Head { KAN, MLP }

    private final Head head;
    private final boolean batchNorm;
    private final Module conv1, bn1, pool1, conv2, bn2, pool2, flatten, fc;

    public ConvKan(ModelInput input, Head head, boolean batchNorm) {
        int h = input.height() / 4, w = input.width() / 4;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("ConvKan needs images of at least 4x4, got " + input.height() + "x"
                    + input.width());
        }
        this.head = head;
        this.batchNorm = batchNorm;
        conv1 = addModule("conv1", new KANConv2d(input.channels(), 8, 3, 1, 1, 5, 3, 0f, 1f));
        bn1 = addModule("bn1", batchNorm ? new BatchNorm2d(8) : new Identity());
        pool1 = addModule("pool1", new MaxPool2d(2));
        conv2 = addModule("conv2", new KANConv2d(8, 16, 3, 1, 1));
        bn2 = addModule("bn2", batchNorm ? new BatchNorm2d(16) : new Identity());
        pool2 = addModule("pool2", new MaxPool2d(2));
        flatten = addModule("flatten", new Flatten());
        fc = addModule("fc", head == Head.KAN ? new KANLinear(16 * h * w, input.classes())
                : new Linear(16 * h * w, input.classes()));
    }

    @Override
    public Var forward(Var x) {
        Var f1 = pool1.forward(bn1.forward(conv1.forward(x)));
        Var f2 = pool2.forward(bn2.forward(conv2.forward(f1)));
        return fc.forward(flatten.forward(f2));
    }

    @Override
    public String toString() {
        return "ConvKan(" + head.name().toLowerCase(java.util.Locale.ROOT) + " head" + (batchNorm ? ", batch norm" : "") + ")";
    }
}
