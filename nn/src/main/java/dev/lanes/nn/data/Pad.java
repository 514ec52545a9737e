package dev.lanes.nn.data;

import java.util.SplittableRandom;

/** Pads every side by {@code padding} pixels of {@code fill} (e.g. MNIST 28x28 to 32x32 for LeNet-5). */
public final class Pad implements Transform {
    private final int padding;
    private final float fill;

    public Pad(int padding) {
        this(padding, 0f);
    }

    public Pad(int padding, float fill) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must be >= 0, got " + padding);
        }
        this.padding = padding;
        this.fill = fill;
    }

    @Override
    public int[] outputShape(int[] in) {
        return new int[] {in[0], in[1] + 2 * padding, in[2] + 2 * padding};
    }

    @Override
    public void apply(float[] src, int srcOff, int[] in, float[] dst, int dstOff, SplittableRandom rnd) {
        RandomCrop.window(src, srcOff, in, padding, padding, in[1] + 2 * padding, in[2] + 2 * padding, fill, dst,
                dstOff);
    }

    @Override
    public String toString() {
        return "Pad(" + padding + (fill == 0f ? "" : ", fill=" + fill) + ")";
    }
}
