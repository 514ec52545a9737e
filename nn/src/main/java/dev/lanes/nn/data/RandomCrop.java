package dev.lanes.nn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * torchvision's {@code RandomCrop(size, padding)}: pads the sample by {@code padding} pixels of
 * {@code fill} on every side, then cuts a {@code height x width} window at a uniformly random
 * position (top first, then left, from the sample's generator).
 */
public final class RandomCrop implements Transform {
    private final int height;
    private final int width;
    private final int padding;
    private final float fill;

    /** A square crop of {@code size} after zero padding. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding, 0f);
    }

    public RandomCrop(int height, int width, int padding, float fill) {
        if (height < 1 || width < 1 || padding < 0) {
            throw new IllegalArgumentException("random crop needs a size >= 1 and padding >= 0, got " + height + "x"
                    + width + " with padding " + padding);
        }
        this.height = height;
        this.width = width;
        this.padding = padding;
        this.fill = fill;
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in[1] + 2 * padding < height || in[2] + 2 * padding < width) {
            throw new IllegalArgumentException("cannot crop " + height + "x" + width + " from a sample of shape "
                    + Arrays.toString(in) + " padded by " + padding);
        }
        return new int[] {in[0], height, width};
    }

    @Override
    public void apply(float[] src, int srcOff, int[] in, float[] dst, int dstOff, SplittableRandom rnd) {
        int top = rnd.nextInt(in[1] + 2 * padding - height + 1);
        int left = rnd.nextInt(in[2] + 2 * padding - width + 1);
        window(src, srcOff, in, padding - top, padding - left, height, width, fill, dst, dstOff);
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    /**
     * Writes an {@code outH x outW} window of every channel whose pixel {@code (y, x)} is source
     * pixel {@code (y - shiftY, x - shiftX)}, or {@code fill} where that lies outside the source.
     * Padding is a window with positive shifts, a crop one with zero or negative shifts.
     */
    static void window(float[] src, int srcOff, int[] in, int shiftY, int shiftX, int outH, int outW, float fill,
            float[] dst, int dstOff) {
        int channels = in[0];
        int inH = in[1];
        int inW = in[2];
        int x0 = Math.max(0, shiftX);
        int x1 = Math.min(outW, inW + shiftX);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                int row = dstOff + (c * outH + y) * outW;
                int sy = y - shiftY;
                if (sy < 0 || sy >= inH || x1 <= x0) {
                    Arrays.fill(dst, row, row + outW, fill);
                    continue;
                }
                Arrays.fill(dst, row, row + x0, fill);
                System.arraycopy(src, srcOff + (c * inH + sy) * inW + x0 - shiftX, dst, row + x0, x1 - x0);
                Arrays.fill(dst, row + x1, row + outW, fill);
            }
        }
    }

    @Override
    public String toString() {
        return "RandomCrop(" + height + "x" + width + ", padding=" + padding + ")";
    }
}
