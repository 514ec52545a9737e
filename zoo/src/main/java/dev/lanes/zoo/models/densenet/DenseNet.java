package dev.lanes.zoo.models.densenet;

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
 * DenseNet-BC for CIFAR (Huang et al. 2017, section 4): conv 3x3 to {@code 2k} channels, three
 * dense blocks of {@code (depth - 4) / 6} bottleneck layers on 32x32, 16x16 and 8x8 maps, a
 * transition with compression 0.5 (conv 1x1 to half the channels, 2x2 average pool) after the
 * first two, then BN, ReLU, global average pooling and the classifier. Names as in torchvision
 * ({@code features.conv0}, {@code features.denseblock1.denselayer1.norm1},
 * {@code features.transition1.conv}, {@code features.norm5}, {@code classifier}).
 */
public final class DenseNet extends HeInitModel {
    private final int depth, growth;
    private final Features features;
    private final Linear classifier;

    /** The feature extractor: Sequential's forward over children with torchvision's names ({@code conv0}, {@code denseblock1}, ...). */
    private static final class Features extends Sequential {
        <M extends Module> M add(String name, M m) {
            return addModule(name, m);
        }
    }

    public DenseNet(int depth, int growth, ModelInput input) {
        if (depth < 10 || (depth - 4) % 6 != 0) {
            throw new IllegalArgumentException("DenseNet-BC has depth 6n + 4 (40, 100, 190, ...), got " + depth);
        }
        if (growth < 1) {
            throw new IllegalArgumentException("DenseNet growth rate must be >= 1, got " + growth);
        }
        this.depth = depth;
        this.growth = growth;
        int layers = (depth - 4) / 6;
        features = addModule("features", new Features());
        int c = 2 * growth;
        features.add("conv0", new Conv2d(input.channels(), c, 3, 1, 1, 1, 1, false));
        for (int b = 1; b <= 3; b++) {
            DenseBlock block = features.add("denseblock" + b, new DenseBlock(c, layers, growth));
            c = block.outChannels();
            if (b < 3) {
                features.add("transition" + b, new Transition(c, c / 2));
                c /= 2;
            }
        }
        features.add("norm5", new BatchNorm2d(c));
        classifier = addModule("classifier", new Linear(c, input.classes()));
    }

    @Override
    public Var forward(Var x) {
        Var y = F.relu(features.forward(x));
        return classifier.forward(F.flatten(F.globalAvgPool2d(y)));
    }

    @Override
    public String toString() {
        return "DenseNet-BC-" + depth + "(k=" + growth + ")";
    }
}
