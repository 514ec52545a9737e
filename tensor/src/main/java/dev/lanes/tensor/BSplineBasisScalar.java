package dev.lanes.tensor;

/**
 * The scalar twin of the B-spline basis kernel (see {@link BSplineBasisKernel}). The recursion
 * runs in place in a small work array of the {@code m - 1} order-0 indicators: level {@code p}
 * overwrites entry {@code j} with
 * {@code (x - t_j) / (t_{j+p} - t_j) * B_j + (t_{j+p+1} - x) / (t_{j+p+1} - t_{j+1}) * B_{j+1}},
 * the divisions taken as multiplications by the precomputed reciprocals (0 for an empty span,
 * so repeated knots give zero terms).
 */
public final class BSplineBasisScalar implements BSplineBasisKernel {
    @Override
    public void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff, float[] recip,
                     int recipOff, int m, int order, float[] out, int outOff, float[] dOut, int dOff) {
        float[] work = new float[m - 1];
        int nb = m - 1 - order;
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                one(x[xOff + r * features + f], knotsT, knotsOff + f, recip, recipOff + f, features, m, order, work,
                        out, outOff + (r * features + f) * nb, dOut, dOff + (r * features + f) * nb);
            }
        }
    }

    /**
     * The basis (and derivative) of one value; knot {@code j} is {@code t[tOff + j * stride]}, the
     * reciprocal of level {@code p}, span {@code j} is {@code recip[rOff + ((p - 1) * (m - 1) + j) * stride]}.
     * Shared with the SIMD kernel for the features left over after the last full vector.
     */
    public static void one(float xv, float[] t, int tOff, float[] recip, int rOff, int stride, int m, int order,
                           float[] work, float[] out, int outOff, float[] dOut, int dOff) {
        int nb = m - 1 - order;
        for (int j = 0; j < m - 1; j++) {
            float lo = t[tOff + j * stride], hi = t[tOff + (j + 1) * stride];
            work[j] = xv >= lo && xv < hi ? 1f : 0f;
        }
        for (int p = 1; p <= order; p++) {
            int level = rOff + (p - 1) * (m - 1) * stride;
            if (p == order && dOut != null) {
                // dB_{j,k}/dx = k (B_{j,k-1} / (t_{j+k} - t_j) - B_{j+1,k-1} / (t_{j+k+1} - t_{j+1}))
                float kf = order;
                for (int j = 0; j < nb; j++) {
                    float a = work[j] * recip[level + j * stride];
                    float b = work[j + 1] * recip[level + (j + 1) * stride];
                    dOut[dOff + j] = kf * (a - b);
                }
            }
            for (int j = 0; j < m - 1 - p; j++) {
                float tj = t[tOff + j * stride], tjp1 = t[tOff + (j + p + 1) * stride];
                float left = (xv - tj) * recip[level + j * stride];
                float right = (tjp1 - xv) * recip[level + (j + 1) * stride];
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
}
