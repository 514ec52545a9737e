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

    /** Rows gathered from several samples (output gradients laid side by side). */
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
}
