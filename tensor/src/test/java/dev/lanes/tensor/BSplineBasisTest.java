package dev.lanes.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The B-spline basis: SIMD against the scalar twin, and both against the textbook recursion. */
class BSplineBasisTest {
    private static final int[] FEATURES = {1, 2, 3, 7, 8, 9, 15, 16, 17, 33};
    private static final int[] ROWS = {1, 3, 20, 33, 48};
    private static final int[] ORDERS = {0, 1, 2, 3, 4};

    /** Random grids: each feature its own knots, increasing, with a repeated knot in some features. */
    private static float[] knotsT(SplittableRandom r, int features, int m, boolean repeat) {
        float[] grid = new float[features * m];
        for (int f = 0; f < features; f++) {
            double t = -2 + r.nextDouble();
            for (int j = 0; j < m; j++) {
                grid[f * m + j] = (float) t;
                t += repeat && j == m / 2 && f % 2 == 0 ? 0 : 0.2 + r.nextDouble() * 0.5;
            }
        }
        float[] tt = new float[features * m];
        BSplineBasis.transposeKnots(grid, 0, features, m, tt, 0);
        return tt;
    }

    @Test
    void simdMatchesScalarBitForBitOnAwkwardSizes() {
        assertTrue(BSplineBasis.kernel() != BSplineBasis.scalar() || !Vectorization.enabled(),
                "the SIMD kernel must be loaded when SIMD is enabled");
        SplittableRandom r = new SplittableRandom(7);
        for (int order : ORDERS) {
            for (int features : FEATURES) {
                for (int rows : ROWS) {
                    for (boolean repeat : new boolean[] {false, true}) {
                        int m = 5 + 2 * order + 1 + (repeat ? 1 : 0);
                        float[] tt = knotsT(r, features, m, repeat);
                        int nb = m - 1 - order, off = 3;
                        float[] x = new float[off + rows * features];
                        for (int i = 0; i < x.length; i++) {
                            x[i] = (float) (r.nextDouble() * 6 - 2.5);   // some outside every grid
                        }
                        x[off] = tt[0];                                     // exactly on a knot
                        int size = rows * features * nb + 5;
                        float[] os = new float[size], ds = new float[size], ov = new float[size], dv = new float[size];
                        float[] recip = new float[BSplineBasis.reciprocalsSize(features, m, order) + 1];
                        BSplineBasis.reciprocals(tt, 0, features, m, order, recip, 1);
                        BSplineBasis.scalar().eval(x, off, rows, features, tt, 0, recip, 1, m, order, os, 2, ds, 1);
                        BSplineBasis.kernel().eval(x, off, rows, features, tt, 0, recip, 1, m, order, ov, 2, dv, 1);
                        for (int i = 0; i < size; i++) {
                            String at = "order " + order + " features " + features + " rows " + rows + " index " + i;
                            assertEquals(Float.floatToIntBits(os[i]), Float.floatToIntBits(ov[i]), "value, " + at);
                            assertEquals(Float.floatToIntBits(ds[i]), Float.floatToIntBits(dv[i]), "derivative, " + at);
                        }
                    }
                }
            }
        }
    }

    /** The textbook recursion in double, straight from the definition. */
    private static double reference(double x, float[] t, int j, int p) {
        if (p == 0) {
            return t[j] <= x && x < t[j + 1] ? 1 : 0;
        }
        double a = t[j + p] == t[j] ? 0 : (x - t[j]) / (t[j + p] - t[j]) * reference(x, t, j, p - 1);
        double b = t[j + p + 1] == t[j + 1] ? 0 : (t[j + p + 1] - x) / (t[j + p + 1] - t[j + 1]) * reference(x, t, j + 1, p - 1);
        return a + b;
    }

    @Test
    void cubicBasisOnTheExtendedGridMatchesTheDefinitionAndSumsToOne() {
        int g = 5, k = 3;
        float[] t = BSplineBasis.uniformKnots(-1f, 1f, g, k);
        assertEquals(g + 2 * k + 1, t.length);
        assertEquals(g + k, BSplineBasis.basisCount(t.length, k));
        int rows = 101;
        float[] x = new float[rows];
        for (int i = 0; i < rows; i++) {
            x[i] = -1.3f + 2.6f * i / (rows - 1);
        }
        float[] out = new float[rows * (g + k)], d = new float[rows * (g + k)];
        BSplineBasis.eval(x, 0, rows, 1, t, 0, t.length, k, out, 0, d, 0);
        for (int i = 0; i < rows; i++) {
            double sum = 0;
            for (int j = 0; j < g + k; j++) {
                double want = reference(x[i], t, j, k);
                assertEquals(want, out[i * (g + k) + j], 1e-5, "B_" + j + "(" + x[i] + ")");
                sum += out[i * (g + k) + j];
                // derivative against a central difference of the definition
                double h = 1e-4;
                double num = (reference(x[i] + h, t, j, k) - reference(x[i] - h, t, j, k)) / (2 * h);
                assertEquals(num, d[i * (g + k) + j], 2e-3, "B_" + j + "'(" + x[i] + ")");
            }
            if (x[i] >= -1f && x[i] < 1f) {
                assertEquals(1.0, sum, 1e-5, "partition of unity at " + x[i]);
            }
        }
    }

    @Test
    void valuesOutsideTheGridHaveNoBasisAndNaNStaysNaN() {
        float[] t = BSplineBasis.uniformKnots(0f, 1f, 5, 3);
        float[] x = {-5f, 7f, Float.NaN};
        float[] out = new float[3 * 8];
        java.util.Arrays.fill(out, 9f);
        BSplineBasis.eval(x, 0, 3, 1, t, 0, t.length, 3, out, 0, null, 0);
        for (int i = 0; i < 16; i++) {
            assertEquals(0f, out[i], "outside the grid, index " + i);
        }
        for (int i = 16; i < 24; i++) {
            assertTrue(Float.isNaN(out[i]), "a NaN input must not be hidden, index " + i);
        }
    }

    @Test
    void tooFewKnotsForTheOrderIsRejected() {
        float[] t = {0f, 1f, 2f};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BSplineBasis.eval(new float[1], 0, 1, 1, t, 0, 3, 2, new float[4], 0, null, 0));
        assertTrue(e.getMessage().contains("order 2"), e.getMessage());
    }
}
