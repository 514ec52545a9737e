package dev.lanes.nn.layers;

import dev.lanes.tensor.Shapes;

/** Batch normalization of images {@code [N, C, H, W]} per channel. */
public class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int channels) {
        this(channels, 1e-5f, 0.1f, true, true);
    }

    public BatchNorm2d(int channels, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        super(channels, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(int[] shape) {
        if (shape.length != 4) {
            throw new IllegalArgumentException("BatchNorm2d: input must be [N, C, H, W], got " + Shapes.toString(shape));
        }
    }
}
