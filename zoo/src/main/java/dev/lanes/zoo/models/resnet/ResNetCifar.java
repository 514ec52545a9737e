package dev.lanes.zoo.models.resnet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Linear;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.models.cifar.HeInitModel;

/**
 * ResNet for CIFAR (He et al. 2016, section 4.2): conv 3x3 to 16 channels, BN, ReLU, then three
 * stages of n basic blocks on 32x32, 16x16 and 8x8 maps with 16, 32 and 64 channels (stride 2 at
 * the start of the second and third), global average pooling and a fully connected layer:
 * 6n + 2 weighted layers (ResNet-20, 32, 44, 56, 110 for n = 3, 5, 7, 9, 18).
 */
public final class ResNetCifar extends HeInitModel {
    private final int depth;
    private final Shortcut shortcut;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential layer1, layer2, layer3;
    private final Linear fc;

    public ResNetCifar(int depth, Shortcut shortcut, ModelInput input) {
        if (depth < 8 || (depth - 2) % 6 != 0) {
            throw new IllegalArgumentException("a CIFAR ResNet has depth 6n + 2 (20, 32, 44, 56, 110), got " + depth);
        }
        int n = (depth - 2) / 6;
        this.depth = depth;
        this.shortcut = shortcut;
        conv1 = addModule("conv1", new Conv2d(input.channels(), 16, 3, 1, 1, 1, 1, false));
        bn1 = addModule("bn1", new BatchNorm2d(16));
        layer1 = addModule("layer1", BasicBlock.stage(16, 16, n, 1, shortcut));
        layer2 = addModule("layer2", BasicBlock.stage(16, 32, n, 2, shortcut));
        layer3 = addModule("layer3", BasicBlock.stage(32, 64, n, 2, shortcut));
        fc = addModule("fc", new Linear(64, input.classes()));
    }

    /** He's initialization, and every residual block starts as the identity ({@link BasicBlock#startAsIdentity}). */
    @Override
    public Module initialize(long seed) {
        super.initialize(seed);
        BasicBlock.startEveryBlockAsIdentity(this);
        return this;
    }

    @Override
    public Var forward(Var x) {
        Var y = F.relu(bn1.forward(conv1.forward(x)));
        y = layer3.forward(layer2.forward(layer1.forward(y)));
        return fc.forward(F.flatten(F.globalAvgPool2d(y)));
    }

    @Override
    public String toString() {
        return "ResNet" + depth + "(option " + shortcut + ")";
    }
}
