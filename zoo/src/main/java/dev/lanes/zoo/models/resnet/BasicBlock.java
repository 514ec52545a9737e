package dev.lanes.zoo.models.resnet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;

/**
 * The basic residual block (He et al. 2016, figure 2): conv 3x3 (with the block's stride), BN,
 * ReLU, conv 3x3, BN, plus the shortcut, ReLU. Names as in torchvision ({@code conv1},
 * {@code bn1}, {@code conv2}, {@code bn2}, {@code downsample.0}, {@code downsample.1}).
 */
public final class BasicBlock extends Module {
    private final Conv2d conv1, conv2;
    private final BatchNorm2d bn1, bn2;
    private final Sequential downsample;
    private final int stride, padBefore, padAfter;

    public BasicBlock(int in, int out, int stride, Shortcut shortcut) {
        if (out < in) {
            throw new IllegalArgumentException("BasicBlock: " + out + " output channels < " + in + " input channels");
        }
        this.stride = stride;
        conv1 = addModule("conv1", new Conv2d(in, out, 3, stride, 1, 1, 1, false));
        bn1 = addModule("bn1", new BatchNorm2d(out));
        conv2 = addModule("conv2", new Conv2d(out, out, 3, 1, 1, 1, 1, false));
        bn2 = addModule("bn2", new BatchNorm2d(out));
        boolean reshapes = stride != 1 || in != out;
        downsample = reshapes && shortcut == Shortcut.B
                ? addModule("downsample", new Sequential(new Conv2d(in, out, 1, stride, 0, 1, 1, false),
                        new BatchNorm2d(out)))
                : null;
        padBefore = (out - in) / 2;
        padAfter = out - in - padBefore;
    }

    /** {@code blocks} blocks, the first with {@code stride} and the channel change: one stage of a ResNet. */
    public static Sequential stage(int in, int out, int blocks, int stride, Shortcut shortcut) {
        Sequential s = new Sequential(new BasicBlock(in, out, stride, shortcut));
        for (int i = 1; i < blocks; i++) {
            s.add(new BasicBlock(out, out, 1, shortcut));
        }
        return s;
    }

    /**
     * Starts the block as the identity ("zero gamma", Goyal et al. 2017; torchvision's
     * {@code zero_init_residual}): the scale of its last batch norm is 0, so at first every block
     * passes its shortcut through and a deep net's output does not grow with its depth (ResNet-110
     * started at a loss of 3.8, not 2.3, and diverged during warm-up). The gradient still reaches
     * the scale, and the block learns its residual from there.
     */
    void startAsIdentity() {
        bn2.weight().value().fill(0f);
    }

    /** {@link #startAsIdentity} for every basic block of {@code model}, after its initialization. */
    static void startEveryBlockAsIdentity(Module model) {
        for (Module m : model.namedModules().values()) {
            if (m instanceof BasicBlock b) {
                b.startAsIdentity();
            }
        }
    }

    @Override
    public Var forward(Var x) {
        Var y = F.relu(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        return F.relu(F.add(y, shortcut(x)));
    }

    private Var shortcut(Var x) {
        if (downsample != null) {
            return downsample.forward(x);
        }
        Var s = stride == 1 ? x : F.avgPool2d(x, 1, stride, 0, true);      // x[:, :, ::stride, ::stride]
        return padBefore + padAfter == 0 ? s : F.pad(s, 1, padBefore, padAfter);
    }

    @Override
    public String toString() {
        return "BasicBlock(stride=" + stride + (downsample != null ? ", projection" : "") + ")";
    }
}
