package dev.lanes.zoo;

import dev.lanes.nn.data.Cifar10;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Normalize;
import dev.lanes.nn.data.SyntheticCifar;
import dev.lanes.nn.data.SyntheticDigits;

import java.util.List;

/**
 * What the zoo knows about each data set by name, without opening it: class names and the
 * normalisation statistics. A synthetic set uses those of the real set it stands in for, so a
 * model trained on it sees inputs on the same scale.
 */
public final class DatasetDefaults {
    /** Fashion-MNIST's training-set statistics (pixels in [0, 1]). */
    public static final Normalize FASHION_MNIST = new Normalize(new float[] {0.2860f}, new float[] {0.3530f});

    private DatasetDefaults() {
    }

    public static List<String> classNames(String dataset) {
        return switch (check(dataset)) {
            case Datasets.MNIST, Datasets.SYNTHETIC_DIGITS -> SyntheticDigits.CLASS_NAMES;
            case Datasets.FASHION_MNIST -> Datasets.FASHION_CLASS_NAMES;
            case Datasets.CIFAR10 -> Cifar10.CLASS_NAMES;
            default -> SyntheticCifar.CLASS_NAMES;
        };
    }

    public static Normalize normalize(String dataset) {
        return switch (check(dataset)) {
            case Datasets.MNIST, Datasets.SYNTHETIC_DIGITS -> Normalize.MNIST;
            case Datasets.FASHION_MNIST -> FASHION_MNIST;
            default -> Normalize.CIFAR10;
        };
    }

    private static String check(String dataset) {
        if (!Datasets.isKnown(dataset)) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "' (known: "
                    + String.join(", ", Datasets.names()) + ")");
        }
        return dataset;
    }
}
