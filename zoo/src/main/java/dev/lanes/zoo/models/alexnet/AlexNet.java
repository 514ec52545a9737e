package dev.lanes.zoo.models.alexnet;

import dev.lanes.nn.F;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Dropout;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.LocalResponseNorm;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.nn.layers.ReLU;

import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.models.cifar.HeInitModel;

/**
 * AlexNet (Krizhevsky et al. 2012) sized for 32x32 CIFAR images: the paper's five convolutions
 * with torchvision's widths (64, 192, 384, 256, 256), conv1 and conv2 5x5 stride 1 (instead of
 * 11x11 stride 4 on 224x224), local response normalization after the ReLU of conv1 and conv2
 * (the paper's n = 5, alpha = 1e-4, beta = 0.75, k = 2), overlapping 3x3 stride-2 max pools after
 * both normalizations and after conv5 (32 to 16 to 8 to 4), and the classifier with dropout 0.5
 * before each of its first two fully connected layers, narrowed from 4096 to 1024 units for
 * CIFAR. Convolutions and the hidden linear layers start from He et al.'s initialization (see
 * {@link HeInitModel}). Names as in torchvision ({@code features.0.weight}, {@code classifier.1.weight}).
 */
public final class AlexNet extends HeInitModel {
    /** Units of the two hidden fully connected layers (4096 in the paper). */
    public static final int HIDDEN = 1024;

    private final Sequential features, classifier;

    public AlexNet(ModelInput input) {
        int h = input.height(), w = input.width();
        for (int i = 0; i < 3; i++) {
            h = (h - 1) / 2 + 1;      // max pool 3, stride 2, padding 1
            w = (w - 1) / 2 + 1;
        }
        features = addModule("features", new Sequential(
                new Conv2d(input.channels(), 64, 5, 1, 2), new ReLU(), lrn(), new MaxPool2d(3, 2, 1),
                new Conv2d(64, 192, 5, 1, 2), new ReLU(), lrn(), new MaxPool2d(3, 2, 1),
                new Conv2d(192, 384, 3, 1, 1), new ReLU(),
                new Conv2d(384, 256, 3, 1, 1), new ReLU(),
                new Conv2d(256, 256, 3, 1, 1), new ReLU(), new MaxPool2d(3, 2, 1)));
        classifier = addModule("classifier", new Sequential(
                new Dropout(0.5f), new Linear(256 * h * w, HIDDEN), new ReLU(),
                new Dropout(0.5f), new Linear(HIDDEN, HIDDEN), new ReLU(),
                new Linear(HIDDEN, input.classes())));
    }

    private static LocalResponseNorm lrn() {
        return new LocalResponseNorm(5, 1e-4f, 0.75f, 2f);
    }

    @Override
    protected boolean heInitHiddenLinear() {
        return true;
    }

    @Override
    public Var forward(Var x) {
        return classifier.forward(F.flatten(features.forward(x)));
    }

    @Override
    public String toString() {
        return "AlexNet(CIFAR)";
    }
}
