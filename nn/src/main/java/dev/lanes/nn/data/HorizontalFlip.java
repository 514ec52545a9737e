package dev.lanes.nn.data;

import java.util.SplittableRandom;

/** Mirrors the sample left to right with probability {@code p} (one draw per sample). */
public final class HorizontalFlip implements Transform {
    private final double p;

    /** Flips half of the samples. */
    public HorizontalFlip() {
        this(0.5);
    }

    public HorizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public int[] outputShape(int[] in) {
        return in.clone();
    }

    @Override
    public void apply(float[] src, int srcOff, int[] in, float[] dst, int dstOff, SplittableRandom rnd) {
        if (rnd.nextDouble() < p) {
            flip(src, srcOff, in, dst, dstOff);
        } else if (src != dst || srcOff != dstOff) {
            System.arraycopy(src, srcOff, dst, dstOff, in[0] * in[1] * in[2]);
        }
    }

    /** Writes the mirror image of every row; {@code src} and {@code dst} may be the same region. */
    static void flip(float[] src, int srcOff, int[] in, float[] dst, int dstOff) {
        int w = in[2];
        int rows = in[0] * in[1];
        for (int r = 0; r < rows; r++) {
            int s = srcOff + r * w;
            int d = dstOff + r * w;
            for (int x = 0, y = w - 1; x <= y; x++, y--) {
                float a = src[s + x];
                float b = src[s + y];
                dst[d + x] = b;
                dst[d + y] = a;
            }
        }
    }

    @Override
    public boolean isRandom() {
        return true;
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    public String toString() {
        return "HorizontalFlip(p=" + p + ")";
    }
}
