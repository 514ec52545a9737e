package dev.lanes.zoo.models.vgg;

import dev.lanes.nn.F;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Dropout;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.models.cifar.HeInitModel;

/**
 * VGG-11, 13 and 16 (Simonyan and Zisserman 2015, configurations A, B and D) for CIFAR: stacks of
 * conv 3x3 (stride 1, padding 1) and ReLU, optionally with batch norm after each convolution,
 * five 2x2 max pools (32x32 down to 1x1), then the classifier of the CIFAR version (dropout 0.5,
 * fc 512, ReLU, dropout 0.5, fc 512, ReLU, fc to the classes). Names as in torchvision
 * ({@code features.0.weight}, {@code classifier.1.weight}).
 */
public final class Vgg extends HeInitModel {
    private static final int M = -1;

    private final int depth;
    private final boolean batchNorm;
    private final Sequential features, classifier;

    /** The paper's widths. */
    public Vgg(int depth, boolean batchNorm, ModelInput input) {
        this(depth, batchNorm, input, 1);
    }

    /** Every width divided by {@code widthDivisor} (1 = the paper's; narrower copies keep tests quick). */
    public Vgg(int depth, boolean batchNorm, ModelInput input, int widthDivisor) {
        int[] cfg = switch (depth) {
            case 11 -> new int[] {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 13 -> new int[] {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 16 -> new int[] {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
            default -> throw new IllegalArgumentException("VGG depth must be 11, 13 or 16, got " + depth);
        };
        if (widthDivisor < 1 || 64 % widthDivisor != 0) {
            throw new IllegalArgumentException("VGG width divisor must divide 64, got " + widthDivisor);
        }
        int h = input.height(), w = input.width();
        if (h < 32 || w < 32) {
            throw new IllegalArgumentException("VGG's five 2x2 max pools need images of at least 32x32, got " + h + "x" + w);
        }
        this.depth = depth;
        this.batchNorm = batchNorm;
        features = addModule("features", new Sequential());
        int c = input.channels();
        for (int v : cfg) {
            if (v == M) {
                features.add(new MaxPool2d(2));
                h /= 2;
                w /= 2;
            } else {
                int out = v / widthDivisor;
                features.add(new Conv2d(c, out, 3, 1, 1));
                if (batchNorm) {
                    features.add(new BatchNorm2d(out));
                }
                features.add(new ReLU());
                c = out;
            }
        }
        int hidden = 512 / widthDivisor;
        classifier = addModule("classifier", new Sequential(new Dropout(0.5f), new Linear(c * h * w, hidden), new ReLU(),
                new Dropout(0.5f), new Linear(hidden, hidden), new ReLU(), new Linear(hidden, input.classes())));
    }

    @Override
    protected boolean heInitHiddenLinear() {
        return !batchNorm;
    }

    @Override
    public Var forward(Var x) {
        return classifier.forward(F.flatten(features.forward(x)));
    }

    @Override
    public String toString() {
        return "VGG" + depth + (batchNorm ? "_bn" : "");
    }
}
