package dev.lanes.tensor;

/**
 * The B-spline basis kernel behind {@link BSplineBasis}: one scalar twin
 * ({@link BSplineBasisScalar}) and one SIMD implementation
 * ({@code dev.lanes.tensor.simd.BSplineBasisSimd}) that computes the same operations in the same
 * order (no fused multiply-add), so both give bit-identical results.
 *
 * <p>Layouts: {@code x} is {@code [rows, features]} (row-major, contiguous from {@code xOff});
 * the knots are given transposed, {@code knotsT[j * features + f]} is knot {@code j} of feature
 * {@code f} ({@code m} knots per feature, non-decreasing); the output is
 * {@code [rows, features, m - 1 - order]} contiguous from {@code outOff}. The reciprocals of the
 * knot spans come precomputed ({@link BSplineBasis#reciprocals}), so the recursion only
 * multiplies: {@code recip[((p - 1) * (m - 1) + j) * features + f] = 1 / (t_{j+p} - t_j)} for
 * level {@code p} (0 for an empty span).
 */
public interface BSplineBasisKernel {
    /**
     * Cox-de Boor: the {@code m - 1 - order} basis functions of order {@code order} of every
     * {@code x[r, f]} on the knots of feature {@code f}; zero outside {@code [t_0, t_{m-1})}.
     * When {@code dOut} is not null the derivatives {@code dB/dx} are written there in the
     * same layout (the values are still written to {@code out}).
     */
    void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff, float[] recip, int recipOff,
              int m, int order, float[] out, int outOff, float[] dOut, int dOff);
}
