package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.BSplineBasis;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SplinesTest {
    /** A [features, m] grid: feature f uniform on [-1 - f/4, 1 + f/4]. */
    private static Tensor grid(int features, int intervals, int order) {
        int m = intervals + 2 * order + 1;
        Tensor g = Tensor.zeros(features, m);
        for (int f = 0; f < features; f++) {
            float[] k = BSplineBasis.uniformKnots(-1 - f / 4f, 1 + f / 4f, intervals, order);
            System.arraycopy(k, 0, g.data(), f * m, m);
        }
        return g;
    }

    @Test
    void basisHasOneRowOfCoefficientsPerInputAndSumsToOneInsideTheGrid() {
        Tensor x = Tensor.uniform(3, -0.99f, 0.99f, 2, 3, 4);
        Var b = F.bsplineBasis(Var.constant(x), grid(4, 5, 3), 3);
        assertArrayEquals(new int[] {2, 3, 4, 8}, b.shape());
        for (int i = 0; i < 24; i++) {
            double s = 0;
            for (int j = 0; j < 8; j++) {
                s += b.value().at(i * 8 + j);
            }
            assertEquals(1.0, s, 1e-5, "row " + i);
        }
    }

    @Test
    void basisGradientMatchesFiniteDifferences() {
        // cubic and quadratic splines are smooth enough for central differences anywhere
        GradCheck.of(in -> F.bsplineBasis(in[0], grid(5, 5, 3), 3), Tensor.uniform(1, -1.4f, 1.4f, 3, 5))
                .eps(1e-3).verify();
        GradCheck.of(in -> F.bsplineBasis(in[0], grid(3, 4, 2), 2), Tensor.uniform(2, -1.2f, 1.2f, 7, 3))
                .eps(1e-3).tolerance(2e-2, 2e-3).verify();
    }

    @Test
    void mismatchedGridIsRejectedNamingBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.bsplineBasis(Var.constant(Tensor.zeros(2, 3)), grid(4, 5, 3), 3));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 12]"), e.getMessage());
    }

    @Test
    void leastSquaresFitRecoversTheCoefficientsOfASpline() {
        int order = 3, intervals = 5, rows = 200, nb = intervals + order;
        Tensor g = grid(2, intervals, order);
        Tensor x = Tensor.uniform(4, -1f, 1f, rows, 2);
        float[] truth = Tensor.uniform(5, -1f, 1f, 2 * nb).toArray();     // [F, nb, outputs = 1]
        float[] basis = F.bsplineBasis(Var.constant(x), g, order).value().toArray();
        float[] coeff = Splines.fitCoefficients(x, g, order, 1, (f, dst) -> {
            for (int r = 0; r < rows; r++) {
                double acc = 0;
                for (int j = 0; j < nb; j++) {
                    acc += basis[(r * 2 + f) * nb + j] * truth[f * nb + j];
                }
                dst[r] = (float) acc;
            }
        });
        // the data covers [-1, 1], where all but the outermost coefficients are determined
        for (int f = 0; f < 2; f++) {
            for (int j = 1; j < nb - 1; j++) {
                assertEquals(truth[f * nb + j], coeff[f * nb + j], 2e-2, "feature " + f + " coefficient " + j);
            }
        }
    }
}
