package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MatMulTest {
    private static Tensor r(long seed, int... shape) {
        return Tensor.uniform(seed, -1f, 1f, shape);
    }

    @Test
    void linearUsesPyTorchsWeightLayout() {
        Var x = Var.constant(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        Var w = Var.constant(Tensor.of(new float[] {1, 0, 0, 0, 1, 1}, 2, 3));
        Var b = Var.constant(Tensor.of(new float[] {10, 20}, 2));
        assertArrayEquals(new float[] {11, 25, 14, 31}, F.linear(x, w, b).value().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.linear(x, Var.constant(Tensor.zeros(3, 2)), null));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void matmulWithTransposeFlagsMatchesExplicitProducts() {
        Tensor a = r(1, 3, 4), b = r(2, 4, 5);
        float[] ref = naive(a, b, 3, 4, 5);
        assertArrayEquals(ref, F.matmul(Var.constant(a), Var.constant(b)).value().toArray(), 1e-5f);
        Var at = F.transpose(Var.constant(a), 0, 1), bt = F.transpose(Var.constant(b), 0, 1);
        assertArrayEquals(ref, F.matmul(at, true, Var.constant(b), false).value().toArray(), 1e-5f);
        assertArrayEquals(ref, F.matmul(Var.constant(a), false, bt, true).value().toArray(), 1e-5f);
        assertArrayEquals(ref, F.matmul(at, true, bt, true).value().toArray(), 1e-5f);
    }

    private static float[] naive(Tensor a, Tensor b, int m, int k, int n) {
        float[] c = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a.at(i * k + p) * b.at(p * n + j);
                }
                c[i * n + j] = (float) s;
            }
        }
        return c;
    }

    @Test
    void linearGradientsMatchFiniteDifferences() {
        GradCheck.of(in -> F.linear(in[0], in[1], in[2]), r(1, 4, 3), r(2, 5, 3), r(3, 5)).verify();
        GradCheck.of(in -> F.linear(in[0], in[1], null), r(4, 2, 3, 3), r(5, 2, 3)).verify();
        // weights only, as in a first layer fed with data
        GradCheck.of(in -> F.linear(in[0], in[1], in[2]), r(6, 4, 3), r(7, 5, 3), r(8, 5)).only(1, 2).verify();
    }

    @Test
    void matmulGradientsMatchFiniteDifferencesForEveryLayout() {
        long seed = 20;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                int[] as = ta ? new int[] {4, 3} : new int[] {3, 4};
                int[] bs = tb ? new int[] {5, 4} : new int[] {4, 5};
                GradCheck.of(in -> F.matmul(in[0], ta, in[1], tb), r(seed++, as), r(seed++, bs)).verify();
                // batched on both sides, and one batched side with a shared matrix
                GradCheck.of(in -> F.matmul(in[0], ta, in[1], tb), r(seed++, 2, as[0], as[1]), r(seed++, 2, bs[0], bs[1])).verify();
                GradCheck.of(in -> F.matmul(in[0], ta, in[1], tb), r(seed++, 3, as[0], as[1]), r(seed++, bs)).verify();
                GradCheck.of(in -> F.matmul(in[0], ta, in[1], tb), r(seed++, as), r(seed++, 3, bs[0], bs[1])).verify();
            }
        }
    }

    @Test
    void batchedMatmulComputesEachBatchIndependently() {
        Tensor a = r(40, 3, 2, 4), b = r(41, 4, 5);
        float[] y = F.matmul(Var.constant(a), Var.constant(b)).value().toArray();
        for (int i = 0; i < 3; i++) {
            float[] ref = naive(a.slice(i), b, 2, 4, 5);
            for (int j = 0; j < 10; j++) {
                assertEquals(ref[j], y[i * 10 + j], 1e-5f);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.matmul(Var.constant(a), Var.constant(r(1, 3, 5))));
        assertTrue(e.getMessage().contains("inner"), e.getMessage());
    }

    /**
     * The routing's shapes: outer products (K = 1), row and column vectors, and narrow products
     * (few columns, many rows: computed transposed), in every layout, batched.
     */
    @Test
    void vectorShapedProductsMatchGemmAndTheirGradientsMatchFiniteDifferences() {
        long seed = 60;
        int[][] mnk = {{7, 19, 1}, {1, 19, 7}, {19, 1, 7}, {1, 1, 5}, {17, 33, 1}, {150, 7, 5}, {64, 3, 30}, {64, 16, 4}};
        for (int[] s : mnk) {
            int m = s[0], n = s[1], k = s[2];
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int[] as = ta ? new int[] {k, m} : new int[] {m, k};
                    int[] bs = tb ? new int[] {n, k} : new int[] {k, n};
                    Tensor a = r(seed++, 3, as[0], as[1]), b = r(seed++, 3, bs[0], bs[1]);
                    float[] y = F.matmul(Var.constant(a), ta, Var.constant(b), tb).value().toArray();
                    for (int i = 0; i < 3; i++) {
                        float[] ref = new float[m * n];
                        dev.lanes.tensor.Gemm.sgemmScalar(ta, tb, m, n, k, 1f, a.data(), i * m * k, as[1], b.data(),
                                i * k * n, bs[1], 0f, ref, 0, n);
                        for (int j = 0; j < m * n; j++) {
                            assertEquals(ref[j], y[i * m * n + j], 1e-5f, "m=" + m + " n=" + n + " k=" + k + " ta=" + ta
                                    + " tb=" + tb + " batch " + i + " element " + j);
                        }
                    }
                    if (m * n * k < 200 || (m == 64 && n == 16)) {     // 64 x 4 x 16: A's gradient is narrow
                        GradCheck.of(in -> F.matmul(in[0], ta, in[1], tb), a, b).verify();
                        GradCheck.of(in -> F.matmul(in[0], ta, in[1], tb), r(seed++, as), r(seed++, 2, bs[0], bs[1]))
                                .verify();
                    }
                }
            }
        }
    }
}
