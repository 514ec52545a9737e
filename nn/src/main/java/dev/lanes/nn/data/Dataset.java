package dev.lanes.nn.data;

import java.util.List;

/**
 * A labelled image data set: {@link #size()} samples of shape {@code [C, H, W]}, each with a
 * class label in {@code [0, numClasses)}. Pixels are floats in {@code [0, 1]} (like
 * torchvision's {@code ToTensor}); normalisation and augmentation are {@link Transform}s that
 * the {@link DataLoader} applies per batch.
 *
 * <p>Implementations must allow concurrent {@link #read} calls from several threads.
 */
public interface Dataset {
    /** The registry name ({@code mnist}, {@code synthetic-cifar}, ...) or a descriptive name. */
    String name();

    /** Number of samples. */
    int size();

    int channels();

    int height();

    int width();

    /** {@code [C, H, W]} of one sample (a new array). */
    default int[] imageShape() {
        return new int[] {channels(), height(), width()};
    }

    /** Floats per sample: {@code C * H * W}. */
    default int sampleSize() {
        return channels() * height() * width();
    }

    int numClasses();

    /** Class names, index = label. */
    List<String> classNames();

    /** Label of sample {@code index}. */
    int label(int index);

    /**
     * Writes the pixels of sample {@code index} ({@link #sampleSize()} floats in {@code [0, 1]},
     * channel-major) into {@code dst} from {@code offset} and returns its label.
     */
    int read(int index, float[] dst, int offset);

    /** The first {@code n} samples (all of them when {@code n >= size()}), as a view. */
    default Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        return n >= size() ? this : new LimitedDataset(this, n);
    }
}
