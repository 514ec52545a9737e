package dev.lanes.nn.data;

import java.util.SplittableRandom;

/**
 * A per-sample image transform applied by the {@link DataLoader} (normalise, pad, random crop,
 * flip). It reads one {@code [C, H, W]} sample from {@code src} and writes the result to
 * {@code dst} (which may be the same array and offset only for transforms whose
 * {@link #inPlace()} is true). Random transforms draw only from {@code rnd}, the sample's own
 * generator seeded by (seed, epoch, sample index), so results do not depend on threads or timing.
 */
public interface Transform {
    /** The {@code [C, H, W]} shape this transform produces from {@code in}; rejects shapes it cannot take. */
    int[] outputShape(int[] in);

    /** Transforms one sample of shape {@code in}. */
    void apply(float[] src, int srcOff, int[] in, float[] dst, int dstOff, SplittableRandom rnd);

    /** True when the transform draws random numbers (the loader then makes a generator per sample). */
    default boolean isRandom() {
        return false;
    }

    /** True when {@code src} and {@code dst} may be the same region. */
    default boolean inPlace() {
        return false;
    }
}
