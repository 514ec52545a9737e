package dev.lanes.tensor;

/**
 * The scalar twin of the B-spline basis kernel (see {@link BSplineBasisKernel}). The recursion
 * runs in place in a small work array of the {@code m - 1} order-0 indicators: level {@code p}
 * overwrites entry {@code j} with
 * {@code (x - t_j) / (t_{j+p} - t_j) * B_j + (t_{j+p+1} - x) / (t_{j+p+1} - t_{j+1}) * B_{j+1}},
 * a term with a zero-width denominator counting as zero (repeated knots).
 */
public final class BSplineBasisScalar implements BSplineBasisKernel {
    @Override
    public void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff, int m, int order,
                     float[] out, int outOff, float[] dOut, int dOff) {
        float[] work = new float[m - 1];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                one(x[xOff + r * features + f], knotsT, knotsOff + f, features, m, order, work,
                        out, outOff + (r * features + f) * (m - 1 - order),
                        dOut, dOff + (r * features + f) * (m - 1 - order));
            }
        }
    }

    /**
     * The basis (and derivative) of one value; knot {@code j} is {@code t[tOff + j * tStride]}.
     * Shared with the SIMD kernel for the features left over after the last full vector.
     */
    public static void one(float xv, float[] t, int tOff, int tStride, int m, int order, float[] work,
                           float[] out, int outOff, float[] dOut, int dOff) {
        int nb = m - 1 - order;
        for (int j = 0; j < m - 1; j++) {
            float lo = t[tOff + j * tStride], hi = t[tOff + (j + 1) * tStride];
            work[j] = xv >= lo && xv < hi ? 1f : 0f;
        }
        for (int p = 1; p <= order; p++) {
            if (p == order && dOut != null) {
                // dB_{j,k}/dx = k (B_{j,k-1} / (t_{j+k} - t_j) - B_{j+1,k-1} / (t_{j+k+1} - t_{j+1}))
                float kf = order;
                for (int j = 0; j < nb; j++) {
                    float a = ratio(work[j], t[tOff + (j + p) * tStride] - t[tOff + j * tStride]);
                    float b = ratio(work[j + 1], t[tOff + (j + p + 1) * tStride] - t[tOff + (j + 1) * tStride]);
                    dOut[dOff + j] = kf * (a - b);
                }
            }
            for (int j = 0; j < m - 1 - p; j++) {
                float tj = t[tOff + j * tStride], tj1 = t[tOff + (j + 1) * tStride];
                float tjp = t[tOff + (j + p) * tStride], tjp1 = t[tOff + (j + p + 1) * tStride];
                float left = ratio(xv - tj, tjp - tj);
                float right = ratio(tjp1 - xv, tjp1 - tj1);
                work[j] = left * work[j] + right * work[j + 1];
            }
        }
        if (order == 0 && dOut != null) {
            for (int j = 0; j < nb; j++) {
                dOut[dOff + j] = 0f;
            }
        }
        System.arraycopy(work, 0, out, outOff, nb);
    }

    /** {@code a / d}, or 0 when {@code d == 0}. */
    private static float ratio(float a, float d) {
        return d == 0f ? 0f : a / d;
    }
}
