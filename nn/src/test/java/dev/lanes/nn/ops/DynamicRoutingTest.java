package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
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
                        s[e] += c * uHat[(i * out + j) * d + e];
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
                        a += uHat[(i * out + j) * d + e] * v[j][e];
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
        Tensor uHat = Tensor.uniform(1, -1f, 1f, b, in, out, d);
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
        assertArrayEquals(new int[] {2, 3, 2, 5}, p.shape());
        for (int n = 0; n < 2; n++) {
            for (int j = 0; j < 2; j++) {
                for (int i = 0; i < 3; i++) {
                    for (int e = 0; e < 5; e++) {
                        double want = 0;
                        for (int k = 0; k < 4; k++) {
                            want += w.get(i, j, e, k) * u.get(n, i, k);
                        }
                        assertEquals(want, p.get(n, i, j, e), 1e-5);
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
    void theRoutingAloneHasTheGradientOfFiniteDifferencesForOneToThreeIterations() {
        // 7 input capsules (an odd count), 3 output capsules of 5-D: gradients through the couplings and the squash
        Tensor uHat = Tensor.uniform(6, -1f, 1f, 2, 7, 3, 5);
        for (int iterations = 1; iterations <= 3; iterations++) {
            int it = iterations;
            GradCheck.of(in -> F.dynamicRouting(in[0], it), uHat).eps(1e-3).tolerance(2e-2, 1e-3).verify();
        }
    }

    @Test
    void thePredictionsHaveTheGradientOfFiniteDifferences() {
        Tensor u = Tensor.uniform(7, -1f, 1f, 3, 5, 3), w = Tensor.uniform(8, -1f, 1f, 5, 2, 17, 3);
        GradCheck.of(in -> F.capsulePredictions(in[0], in[1]), u, w).verify();
    }

    @Test
    void valuesAndGradientsAreTheSameBitsOnAnyThreadCount() {
        // more samples and input capsules than threads, a row of D = 16 (one AVX-512 vector) plus odd sizes
        Tensor u = Tensor.uniform(9, -1f, 1f, 5, 37, 8), w = Tensor.uniform(10, -0.3f, 0.3f, 37, 4, 16, 8);
        Tensor up = Tensor.uniform(11, -1f, 1f, 5, 4, 16);
        int before = Parallel.threads();
        float[][] got = new float[3][];
        try {
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                try (Tape t = Tape.recording(1)) {
                    Var uv = t.input(u, true), wv = t.input(w, true);
                    Var v = F.dynamicRouting(F.capsulePredictions(uv, wv), 3);
                    t.backward(v, up);
                    float[] all = new float[v.size() + u.size() + w.size()];
                    System.arraycopy(v.value().toArray(), 0, all, 0, v.size());
                    System.arraycopy(uv.grad().toArray(), 0, all, v.size(), u.size());
                    System.arraycopy(wv.grad().toArray(), 0, all, v.size() + u.size(), w.size());
                    got[threads - 1] = all;
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(got[0], got[1]);
        assertArrayEquals(got[0], got[2]);
    }

    @Test
    void mismatchedShapesAreRejectedNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.capsulePredictions(Var.constant(Tensor.zeros(2, 6, 3)), Var.constant(Tensor.zeros(5, 2, 4, 3))));
        assertTrue(e.getMessage().contains("[2, 6, 3]") && e.getMessage().contains("[5, 2, 4, 3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.dynamicRouting(Var.constant(Tensor.zeros(1, 2, 3, 4)), 0));
    }
}
