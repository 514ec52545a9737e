package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ReductionsTest {
    /** x[i, j, k] = 100 i + 10 j + k for shape [2, 3, 4]. */
    private static Var grid() {
        float[] v = new float[24];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    v[(i * 3 + j) * 4 + k] = 100 * i + 10 * j + k;
                }
            }
        }
        return Var.constant(Tensor.of(v, 2, 3, 4));
    }

    @Test
    void sumsAndMeansOverAxesMatchHandComputedValues() {
        Var x = grid();
        Var s1 = F.sum(x, 1);
        assertArrayEquals(new int[] {2, 4}, s1.shape());
        assertArrayEquals(new float[] {30, 33, 36, 39, 330, 333, 336, 339}, s1.value().toArray());
        Var s02 = F.sum(x, new int[] {0, 2}, false);
        assertArrayEquals(new int[] {3}, s02.shape());
        // sum over i, k of 100 i + 10 j + k = 400 + 80 j + 12
        assertArrayEquals(new float[] {412, 492, 572}, s02.value().toArray());
        Var m2 = F.mean(x, new int[] {-1}, true);
        assertArrayEquals(new int[] {2, 3, 1}, m2.shape());
        assertArrayEquals(new float[] {1.5f, 11.5f, 21.5f, 101.5f, 111.5f, 121.5f}, m2.value().toArray());
        assertEquals(2 * 3 * 4 * 1.5f + 4 * 3 * 100 + 2 * 4 * 30, F.sum(x).item());
        assertEquals(F.sum(x).item() / 24, F.mean(x).item(), 1e-4f);
        assertArrayEquals(new int[] {1}, F.mean(x).shape());
    }

    @Test
    void normIsTheEuclideanLengthAlongAnAxis() {
        Var v = Var.constant(Tensor.of(new float[] {3, 4, 0, 0, 1, 2, 2, 0}, 2, 2, 2));
        // [2, 2, 2] along axis 1: pairs (3, 0), (4, 0), (1, 2), (2, 0)
        assertArrayEquals(new float[] {3, 4, (float) Math.sqrt(5), 2}, F.norm(v, 1, false).value().toArray(), 1e-6f);
        assertArrayEquals(new float[] {5, 0, (float) Math.sqrt(5), 2}, F.norm(v, -1, false).value().toArray(), 1e-6f);
    }

    @Test
    void gradientsFlowBackToEveryReducedElement() {
        Tensor x = Tensor.uniform(1, -1f, 1f, 3, 4, 5);
        GradCheck.of(in -> F.sum(in[0], 0), x).verify();
        GradCheck.of(in -> F.sum(in[0], 1), x).verify();
        GradCheck.of(in -> F.sum(in[0], -1), x).verify();
        GradCheck.of(in -> F.sum(in[0], new int[] {0, 2}, true), x).verify();
        GradCheck.of(in -> F.mean(in[0], new int[] {1, 2}, false), x).verify();
        GradCheck.of(in -> F.mean(in[0], new int[] {0, 1}, false), x).verify();
        GradCheck.of(in -> F.sum(in[0]), x).verify();
        GradCheck.of(in -> F.mean(in[0]), x).verify();
        GradCheck.of(in -> F.norm(in[0], 1, false), x).verify();
        GradCheck.of(in -> F.norm(in[0], 2, true), x).verify();
    }

    @Test
    void badAxesAreRejectedWithTheShape() {
        Var x = grid();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.sum(x, 3));
        assertTrue(e.getMessage().contains("[2, 3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> F.sum(x, new int[] {1, -2}, false));
    }
}
