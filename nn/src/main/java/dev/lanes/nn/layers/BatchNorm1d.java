package dev.lanes.nn.layers;

import dev.lanes.tensor.Shapes;

/** Batch normalization of {@code [N, C]} or {@code [N, C, L]} per channel. */
public class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int features) {
        this(features, 1e-5f, 0.1f, true, true);
    }

    public BatchNorm1d(int features, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        super(features, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(int[] shape) {
        if (shape.length != 2 && shape.length != 3) {
            throw new IllegalArgumentException("BatchNorm1d: input must be [N, C] or [N, C, L], got " + Shapes.toString(shape));
        }
    }
}
