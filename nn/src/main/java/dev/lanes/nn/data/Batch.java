package dev.lanes.nn.data;

import dev.lanes.tensor.Tensor;

/**
 * One batch from a {@link DataLoader}: images {@code [B, C, H, W]}, their labels and the
 * data-set indices they came from. The loader reuses its buffers: a batch is valid until the
 * next call to {@link DataLoader.Epoch#next()} or the epoch is closed; copy what must outlive it.
 */
public final class Batch {
    private final Tensor fullImages;
    private final int[] fullLabels;
    private final int[] fullIndices;
    private final Tensor partialImages;
    private final int[] partialLabels;
    private final int[] partialIndices;
    private boolean partial;
    private int epoch;
    private int index;

    Batch(int batchSize, int remainder, int[] sampleShape) {
        float[] data = new float[batchSize * sampleShape[0] * sampleShape[1] * sampleShape[2]];
        fullImages = Tensor.wrap(data, batchSize, sampleShape[0], sampleShape[1], sampleShape[2]);
        fullLabels = new int[batchSize];
        fullIndices = new int[batchSize];
        int r = remainder == 0 ? batchSize : remainder;
        partialImages = Tensor.wrap(data, r, sampleShape[0], sampleShape[1], sampleShape[2]);
        partialLabels = new int[r];
        partialIndices = new int[r];
    }

    void reset(int epoch, int index, boolean partial) {
        this.epoch = epoch;
        this.index = index;
        this.partial = partial;
    }

    /** The images, shape {@code [size(), C, H, W]}. */
    public Tensor images() {
        return partial ? partialImages : fullImages;
    }

    /** The labels, {@code size()} of them. */
    public int[] labels() {
        return partial ? partialLabels : fullLabels;
    }

    /** The data-set index of every sample in the batch. */
    public int[] indices() {
        return partial ? partialIndices : fullIndices;
    }

    /** Number of samples (the batch size, or fewer for the last batch of an epoch). */
    public int size() {
        return partial ? partialLabels.length : fullLabels.length;
    }

    public int epoch() {
        return epoch;
    }

    /** Position of this batch in its epoch, from 0. */
    public int index() {
        return index;
    }
}
