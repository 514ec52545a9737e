package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PoolingTest {
    private static final Var GRID = Var.constant(Tensor.of(new float[] {
            1, 2, 3, 4,
            5, 6, 7, 8,
            9, 10, 11, 12,
            13, 14, 15, 16}, 1, 1, 4, 4));

    /** Distinct values, at least 0.05 apart, so that eps = 0.01 never changes which one is the maximum. */
    private static Tensor distinct(long seed, int... shape) {
        Tensor t = Tensor.zeros(shape);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        int n = t.size();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int tmp = perm[i];
            perm[i] = perm[j];
            perm[j] = tmp;
        }
        for (int i = 0; i < n; i++) {
            t.data()[i] = -2f + 0.05f * perm[i];
        }
        return t;
    }

    @Test
    void poolingMatchesHandComputedValues() {
        assertArrayEquals(new float[] {6, 8, 14, 16}, F.maxPool2d(GRID, 2).value().toArray());
        assertArrayEquals(new float[] {3.5f, 5.5f, 11.5f, 13.5f}, F.avgPool2d(GRID, 2).value().toArray());
        // 3x3 window, stride 2, padding 1, padding counted: corner window holds 1, 2, 5, 6 over 9 cells
        assertEquals(14f / 9, F.avgPool2d(GRID, 3, 2, 1, true).value().at(0), 1e-6f);
        assertEquals(14f / 4, F.avgPool2d(GRID, 3, 2, 1, false).value().at(0), 1e-6f);
        assertArrayEquals(new float[] {6, 8, 14, 16}, F.maxPool2d(GRID, 3, 2, 1).value().toArray());
        Var g = F.globalAvgPool2d(GRID);
        assertArrayEquals(new int[] {1, 1, 1, 1}, g.shape());
        assertEquals(8.5f, g.value().at(0));
    }

    @Test
    void poolingGradientsMatchFiniteDifferences() {
        GradCheck.of(in -> F.maxPool2d(in[0], 2), distinct(1, 2, 2, 4, 4)).verify();
        GradCheck.of(in -> F.maxPool2d(in[0], 3, 2, 1), distinct(2, 1, 2, 5, 5)).verify();
        Tensor x = Tensor.uniform(3, -1f, 1f, 2, 2, 5, 5);
        GradCheck.of(in -> F.avgPool2d(in[0], 2), x).verify();
        GradCheck.of(in -> F.avgPool2d(in[0], 3, 2, 1, true), x).verify();
        GradCheck.of(in -> F.avgPool2d(in[0], 3, 2, 1, false), x).verify();
        GradCheck.of(in -> F.globalAvgPool2d(in[0]), x).verify();
        // stride 1 subsampling window of 1 (ResNet option-A shortcut)
        GradCheck.of(in -> F.maxPool2d(in[0], 1, 2, 0), x).verify();
    }
}
