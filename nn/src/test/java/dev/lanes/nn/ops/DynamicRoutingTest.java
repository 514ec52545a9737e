package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DynamicRoutingTest {
    /** The routing of one sample, straight from the paper's procedure, in double. */
    private static double[][] reference(float[] uHat, int out, int in, int d, int iterations) {
        double[][] logit = new double[in][out];
        double[][] v = new double[out][d];
        for (int it = 0; it < iterations; it++) {
            for (int j = 0; j < out; j++) {
                double[] s = new double[d];
                for (int i = 0; i < in; i++) {
                    double z = 0;
                    for (int k = 0; k < out; k++) {
                        z += Math.exp(logit[i][k]);
                    }
                    double c = Math.exp(logit[i][j]) / z;
                    for (int e = 0; e < d; e++) {
                        s[e] += c * uHat[(j * in + i) * d + e];
                    }
                }
                double sq = 0;
                for (double x : s) {
                    sq += x * x;
                }
                for (int e = 0; e < d; e++) {
                    v[j][e] = sq / (1 + sq) * s[e] / Math.sqrt(sq + 1e-8);
                }
            }
            for (int i = 0; i < in; i++) {
                for (int j = 0; j < out; j++) {
                    double a = 0;
                    for (int e = 0; e < d; e++) {
                        a += uHat[(j * in + i) * d + e] * v[j][e];
                    }
                    logit[i][j] += a;
                }
            }
        }
        return v;
    }

    @Test
    void routingMatchesThePapersProcedure() {
        int b = 2, out = 3, in = 5, d = 4;
        Tensor uHat = Tensor.uniform(1, -1f, 1f, b, out, in, d);
        for (int iterations : new int[] {1, 3}) {
            float[] v = F.dynamicRouting(Var.constant(uHat), iterations).value().toArray();
            for (int n = 0; n < b; n++) {
                float[] one = new float[out * in * d];
                System.arraycopy(uHat.data(), n * one.length, one, 0, one.length);
                double[][] want = reference(one, out, in, d, iterations);
                for (int j = 0; j < out; j++) {
                    for (int e = 0; e < d; e++) {
                        assertEquals(want[j][e], v[(n * out + j) * d + e], 1e-5, iterations + " iterations");
                    }
                }
            }
        }
    }

    @Test
    void predictionsAreTheWeightMatricesTimesTheCapsules() {
        Tensor u = Tensor.uniform(2, -1f, 1f, 2, 3, 4), w = Tensor.uniform(3, -1f, 1f, 3, 2, 5, 4);
        Tensor p = F.capsulePredictions(Var.constant(u), Var.constant(w)).value();
        assertArrayEquals(new int[] {2, 2, 3, 5}, p.shape());
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 3; i++) {
                    for (int e = 0; e < 5; e++) {
                        double want = 0;
                        for (int k = 0; k < 4; k++) {
                            want += w.get(i, j, e, k) * u.get(n, i, k);
                        }
                        assertEquals(want, p.get(n, j, i, e), 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void aSmallRoutingLayerHasTheGradientOfFiniteDifferences() {
        // 6 input capsules of 3-D, 2 output capsules of 4-D, 3 iterations, through the weights and the capsules
        Tensor u = Tensor.uniform(4, -1f, 1f, 2, 6, 3), w = Tensor.uniform(5, -0.8f, 0.8f, 6, 2, 4, 3);
        GradCheck.of(in -> F.dynamicRouting(F.capsulePredictions(in[0], in[1]), 3), u, w)
                .eps(1e-3).tolerance(2e-2, 1e-3).verify();
    }

    @Test
    void mismatchedShapesAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.capsulePredictions(Var.constant(Tensor.zeros(2, 6, 3)), Var.constant(Tensor.zeros(5, 2, 4, 3))));
        assertTrue(e.getMessage().contains("[2, 6, 3]") && e.getMessage().contains("[5, 2, 4, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.dynamicRouting(Var.constant(Tensor.zeros(1, 2, 3, 4)), 0));
    }
}
