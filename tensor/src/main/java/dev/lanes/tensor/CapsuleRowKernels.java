package dev.lanes.tensor;

/**
 * Kernels over a block of short rows, one scalar per row: the inner loops of capsule routing,
 * where a sample's predictions from one input capsule are {@code rows} output capsules of
 * {@code n} numbers each (10 x 16 in the paper). One call per block instead of one per row.
 * The SIMD class {@code simd.CapsuleRowSimd} and the scalar twin {@link CapsuleRowScalar}
 * implement it; {@link CapsuleRows} picks one.
 */
public interface CapsuleRowKernels {
    /** {@code y[r*n + k] += alpha[r] * x[r*n + k]} for {@code r < rows, k < n} (multiply, then add: not fused). */
    void scaledRowsAdd(float[] alpha, int aOff, float[] x, int xOff, float[] y, int yOff, int rows, int n);

    /** {@code out[r] = sum over k of a[r*n + k] * b[r*n + k]} for {@code r < rows}. */
    void rowDots(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int rows, int n);
}
