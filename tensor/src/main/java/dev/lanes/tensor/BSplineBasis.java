package dev.lanes.tensor;

/**
 * B-spline bases for Kolmogorov-Arnold layers (Liu et al. 2024): the Cox-de Boor recursion over
 * per-feature knot vectors, on the SIMD kernel when it is enabled ({@link Vectorization}), else
 * its scalar twin, rows split into fixed chunks on {@link Parallel} (chunk boundaries depend only
 * on the sizes, so results do not depend on the thread count).
 *
 * <p>A grid of {@code G} intervals on {@code [lo, hi]} extended by {@code k} intervals on each
 * side has {@code G + 2k + 1} knots and gives {@code G + k} basis functions of order {@code k};
 * inside {@code [lo, hi)} they sum to one.
 */
public final class BSplineBasis {
    /** Rows per parallel task. */
    static final int ROWS_PER_TASK = 16;

    private static final BSplineBasisKernel SCALAR = new BSplineBasisScalar();
    private static final BSplineBasisKernel K =
            Vectorization.load(BSplineBasisKernel.class, "dev.lanes.tensor.simd.BSplineBasisSimd", SCALAR);

    private BSplineBasis() {
    }

    /** The kernel in use (SIMD or scalar). */
    public static BSplineBasisKernel kernel() {
        return K;
    }

    /** The scalar twin, whatever is in use. */
    public static BSplineBasisKernel scalar() {
        return SCALAR;
    }

    /** Basis functions of order {@code order} on {@code knots} knots. */
    public static int basisCount(int knots, int order) {
        return knots - 1 - order;
    }

    /**
     * {@link BSplineBasisKernel#eval} over all rows, in parallel; {@code knotsT} is
     * {@code [m, features]} (see {@link #transposeKnots}), {@code recip} its span reciprocals
     * (see {@link #reciprocals}).
     */
    public static void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff,
                            float[] recip, int recipOff, int m, int order, float[] out, int outOff,
                            float[] dOut, int dOff) {
        requireKnots(m, order);
        int nb = m - 1 - order, per = features * nb;
        Parallel.parallelFor(rows, ROWS_PER_TASK, (s, e) -> K.eval(x, xOff + s * features, e - s, features,
                knotsT, knotsOff, recip, recipOff, m, order, out, outOff + s * per, dOut, dOff + s * per));
    }

    /** The same with the reciprocals computed here (allocates them: for tests and one-off fits). */
    public static void eval(float[] x, int xOff, int rows, int features, float[] knotsT, int knotsOff, int m,
                            int order, float[] out, int outOff, float[] dOut, int dOff) {
        requireKnots(m, order);
        float[] recip = new float[reciprocalsSize(features, m, order)];
        reciprocals(knotsT, knotsOff, features, m, order, recip, 0);
        eval(x, xOff, rows, features, knotsT, knotsOff, recip, 0, m, order, out, outOff, dOut, dOff);
    }

    private static void requireKnots(int m, int order) {
        if (order < 0 || m < order + 2) {
            throw new IllegalArgumentException("B-spline basis of order " + order + " needs at least " + (order + 2)
                    + " knots, got " + m);
        }
    }

    /** Length of the reciprocal table of {@link #reciprocals}. */
    public static int reciprocalsSize(int features, int m, int order) {
        return Math.max(1, order) * (m - 1) * features;
    }

    /**
     * {@code dst[((p - 1) * (m - 1) + j) * features + f] = 1 / (t_{j+p} - t_j)} of feature
     * {@code f} for levels {@code p = 1..order} and spans {@code j = 0..m-1-p}, 0 for an empty
     * span (repeated knots), from transposed knots {@code [m, features]}.
     */
    public static void reciprocals(float[] knotsT, int knotsOff, int features, int m, int order, float[] dst, int dstOff) {
        java.util.Arrays.fill(dst, dstOff, dstOff + reciprocalsSize(features, m, order), 0f);
        for (int p = 1; p <= order; p++) {
            for (int j = 0; j + p < m; j++) {
                for (int f = 0; f < features; f++) {
                    float d = knotsT[knotsOff + (j + p) * features + f] - knotsT[knotsOff + j * features + f];
                    dst[dstOff + ((p - 1) * (m - 1) + j) * features + f] = d == 0f ? 0f : 1f / d;
                }
            }
        }
    }

    /** {@code [features, m] -> [m, features]}, the knot layout of the kernels. */
    public static void transposeKnots(float[] grid, int gridOff, int features, int m, float[] dst, int dstOff) {
        for (int f = 0; f < features; f++) {
            for (int j = 0; j < m; j++) {
                dst[dstOff + j * features + f] = grid[gridOff + f * m + j];
            }
        }
    }

    /**
     * The uniform grid of {@code intervals} intervals on {@code [lo, hi]}, extended by
     * {@code order} intervals on each side: {@code intervals + 2 * order + 1} knots.
     */
    public static float[] uniformKnots(float lo, float hi, int intervals, int order) {
        if (intervals < 1 || !(hi > lo)) {
            throw new IllegalArgumentException("a grid needs >= 1 interval and lo < hi, got " + intervals + " on ["
                    + lo + ", " + hi + "]");
        }
        float[] t = new float[intervals + 2 * order + 1];
        double h = ((double) hi - lo) / intervals;
        for (int j = 0; j < t.length; j++) {
            t[j] = (float) (lo + (j - order) * h);
        }
        return t;
    }
}
