package dev.lanes.zoo.models.resnet;

/** How a residual block's shortcut meets a change of shape (He et al. 2016, section 3.3). */
public enum Shortcut {
    /** Identity, subsampled by the stride and padded with zero channels: no parameters (the paper's CIFAR nets). */
    A,
    /** A 1x1 convolution with the block's stride and batch norm, only where the shape changes. */
    B
}
