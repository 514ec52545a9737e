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
 * ResNet-18 and ResNet-34 (He et al. 2016, table 1) with basic blocks and projection shortcuts:
 * four stages of 64, 128, 256 and 512 channels, global average pooling, a fully connected layer;
 * names as in torchvision. The ImageNet stem (conv 7x7 stride 2, max pool 3x3 stride 2) is for
 * larger inputs; on 32x32 CIFAR images the usual stem is one conv 3x3 stride 1 and no pooling.
 */
public final class ResNet extends HeInitModel {
    /** The first layers. */
    public enum Stem {
        /** conv 7x7 stride 2 pad 3, BN, ReLU, max pool 3x3 stride 2 pad 1: the paper's, for 224x224 inputs. */
        IMAGENET,
        /** conv 3x3 stride 1 pad 1, BN, ReLU: for 32x32 inputs. */
        CIFAR
    }

    private final int depth;
    private final Stem stem;
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Sequential layer1, layer2, layer3, layer4;
    private final Linear fc;

    public ResNet(int depth, Stem stem, ModelInput input) {
        int[] blocks = switch (depth) {
            case 18 -> new int[] {2, 2, 2, 2};
            case 34 -> new int[] {3, 4, 6, 3};
            default -> throw new IllegalArgumentException("ResNet with basic blocks: depth 18 or 34, got " + depth);
        };
        this.depth = depth;
        this.stem = stem;
        conv1 = addModule("conv1", stem == Stem.IMAGENET
                ? new Conv2d(input.channels(), 64, 7, 2, 3, 1, 1, false)
                : new Conv2d(input.channels(), 64, 3, 1, 1, 1, 1, false));
        bn1 = addModule("bn1", new BatchNorm2d(64));
        layer1 = addModule("layer1", BasicBlock.stage(64, 64, blocks[0], 1, Shortcut.B));
        layer2 = addModule("layer2", BasicBlock.stage(64, 128, blocks[1], 2, Shortcut.B));
        layer3 = addModule("layer3", BasicBlock.stage(128, 256, blocks[2], 2, Shortcut.B));
        layer4 = addModule("layer4", BasicBlock.stage(256, 512, blocks[3], 2, Shortcut.B));
        fc = addModule("fc", new Linear(512, input.classes()));
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
        if (stem == Stem.IMAGENET) {
            y = F.maxPool2d(y, 3, 2, 1);
        }
        y = layer4.forward(layer3.forward(layer2.forward(layer1.forward(y))));
        return fc.forward(F.flatten(F.globalAvgPool2d(y)));
    }

    @Override
    public String toString() {
        return "ResNet" + depth + "(" + stem.name().toLowerCase(java.util.Locale.ROOT) + " stem)";
    }
}
