package dev.lanes.nn.data;

import dev.lanes.tensor.Parallel;

import java.util.List;
import java.util.SplittableRandom;

/**
 * What the synthetic data sets share: balanced labels and parallel generation where sample
 * {@code index} depends only on {@code (seed, index)}, so any range of indices can be made on
 * any number of threads and gives the same bytes.
 */
final class SyntheticImages {
    private static final long LABEL_STREAM = 1;
    private static final long IMAGE_STREAM = 2;
    private static final int GRAIN = 64;

    private SyntheticImages() {
    }

    /** Draws one image of class {@code label} as {@code C*H*W} bytes at {@code out[off..]}. */
    @FunctionalInterface
    interface Renderer {
        void render(SplittableRandom rnd, int label, float[] scratch, byte[] out, int off);
    }

    /**
     * The label of sample {@code index}: each block of {@code classes} consecutive indices
     * holds every class once, in an order drawn from {@code (seed, block)}. So the first
     * {@code k * classes} samples are exactly balanced, and any sample's label is cheap to find.
     */
    static int label(long seed, int index, int classes) {
        int block = index / classes;
        SplittableRandom rnd = new SplittableRandom(Seeds.of(seed, LABEL_STREAM, block));
        int[] perm = new int[classes];
        for (int i = 0; i < classes; i++) {
            perm[i] = i;
        }
        for (int i = classes - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return perm[index % classes];
    }

    /** Samples {@code first .. first+count-1} of the set defined by {@code seed} and the renderer. */
    static ByteImageDataset generate(String name, long seed, int first, int count, int channels, int side,
            List<String> classNames, int scratchFloats, Renderer renderer) {
        if (first < 0 || count < 0 || (long) first + count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad sample range: first " + first + ", count " + count);
        }
        int sampleBytes = channels * side * side;
        if ((long) count * sampleBytes > DataFile.MAX_ARRAY) {
            throw new IllegalArgumentException(count + " images of " + sampleBytes + " bytes do not fit in one array");
        }
        byte[] pixels = new byte[count * sampleBytes];
        byte[] labels = new byte[count];
        int classes = classNames.size();
        Parallel.parallelFor(count, GRAIN, (start, end) -> {
            float[] scratch = new float[scratchFloats];
            for (int i = start; i < end; i++) {
                int index = first + i;
                int label = label(seed, index, classes);
                SplittableRandom rnd = new SplittableRandom(Seeds.of(seed, IMAGE_STREAM, index));
                renderer.render(rnd, label, scratch, pixels, i * sampleBytes);
                labels[i] = (byte) label;
            }
        });
        return new ByteImageDataset(name, channels, side, side, pixels, labels, classNames);
    }

    /** Uniform in {@code [lo, hi)}. */
    static float uniform(SplittableRandom rnd, double lo, double hi) {
        return (float) (lo + (hi - lo) * rnd.nextDouble());
    }

    static byte toByte(float v) {
        return (byte) Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }
}
