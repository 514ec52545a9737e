package dev.lanes.tensor;

/** Scalar twin of {@code simd.CapsuleRowSimd}. */
public final class CapsuleRowScalar implements CapsuleRowKernels {
    @Override
    public void scaledRowsAdd(float[] alpha, int aOff, float[] x, int xOff, float[] y, int yOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            float a = alpha[aOff + r];
            int row = r * n;
            for (int k = 0; k < n; k++) {
                y[yOff + row + k] = y[yOff + row + k] + a * x[xOff + row + k];
            }
        }
    }

    @Override
    public void rowDots(float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, int rows, int n) {
        for (int r = 0; r < rows; r++) {
            int row = r * n;
            float s = 0f;
            for (int k = 0; k < n; k++) {
                s += a[aOff + row + k] * b[bOff + row + k];
            }
            out[outOff + r] = s;
        }
    }
}
