package dev.lanes.tensor.conv;

/**
 * Per-thread work buffers of the convolution kernels. Each grows to the largest size asked
 * for and is then kept, so that after the first step of a training loop (the largest layer
 * seen once) the kernels allocate nothing.
 */
final class ConvScratch {
    private static final ThreadLocal<ConvScratch> LOCAL = ThreadLocal.withInitial(ConvScratch::new);
    private static final float[] EMPTY = new float[0];

    private float[] col = EMPTY;
    private float[] rows = EMPTY;
    private float[] partial = EMPTY;
    private float[] weights = EMPTY;
    private float[] sums = EMPTY;
    private float[] work = EMPTY;
    private int[] offsets = new int[0];

    private ConvScratch() {
    }

    static ConvScratch get() {
        return LOCAL.get();
    }

    /** Column matrix (im2col output, or the GEMM result before col2im). */
    float[] col(int size) {
        if (col.length < size) {
            col = new float[size];
        }
        return col;
    }

    /** Rows gathered from several samples (output gradients laid side by side, or padded flat for the direct weight gradient). */
    float[] rows(int size) {
        if (rows.length < size) {
            rows = new float[size];
        }
        return rows;
    }

    /** Partial weight gradients of the chunks of one wave (held by the calling thread). */
    float[] partial(int size) {
        if (partial.length < size) {
            partial = new float[size];
        }
        return partial;
    }

    /** Weights rearranged for a pass (transposed and flipped for the direct backward-data; read by all threads). */
    float[] weights(int size) {
        if (weights.length < size) {
            weights = new float[size];
        }
        return weights;
    }

    /** The few sums one weight-gradient kernel call returns. */
    float[] sums(int size) {
        if (sums.length < size) {
            sums = new float[size];
        }
        return sums;
    }

    /** Row starts of a matrix read in place (the unfolded input of {@link ConvImplicitGemm}). */
    int[] offsets(int size) {
        if (offsets.length < size) {
            offsets = new int[size];
        }
        return offsets;
    }

    /** A few vectors' worth of floats a SIMD kernel spills to sum lanes in a fixed order. */
    float[] work(int size) {
        if (work.length < size) {
            work = new float[size];
        }
        return work;
    }
}
