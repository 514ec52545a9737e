package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ArithmeticTest {
    private static Var c(float[] v, int... shape) {
        return Var.constant(Tensor.of(v, shape));
    }

    private static Tensor r(long seed, int... shape) {
        return Tensor.uniform(seed, -1.5f, 1.5f, shape);
    }

    /** Inputs in [0.5, 2) with random signs: safe divisors. */
    private static Tensor divisor(long seed, int... shape) {
        Tensor t = Tensor.uniform(seed, 0.5f, 2f, shape);
        for (int i = 0; i < t.size(); i += 2) {
            t.data()[i] = -t.data()[i];
        }
        return t;
    }

    @Test
    void broadcastingFollowsNumpyRules() {
        Var x = c(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, F.add(x, c(new float[] {10, 20, 30}, 3)).value().toArray());
        assertArrayEquals(new float[] {11, 12, 13, 24, 25, 26}, F.add(x, c(new float[] {10, 20}, 2, 1)).value().toArray());
        assertArrayEquals(new float[] {-9, -8, -7, -16, -15, -14}, F.sub(x, c(new float[] {10, 20}, 2, 1)).value().toArray());
        assertArrayEquals(new float[] {2, 6, 12, 8, 15, 24}, F.mul(x, c(new float[] {2, 3, 4}, 1, 3)).value().toArray());
        assertArrayEquals(new float[] {0.5f, 1, 1.5f, 1, 1.25f, 1.5f}, F.div(x, c(new float[] {2, 4}, 2, 1)).value().toArray());
        // [2, 1] (+) [3] -> [2, 3]: both sides stretch
        Var outer = F.add(c(new float[] {100, 200}, 2, 1), c(new float[] {1, 2, 3}, 3));
        assertArrayEquals(new int[] {2, 3}, outer.shape());
        assertArrayEquals(new float[] {101, 102, 103, 201, 202, 203}, outer.value().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F.add(x, c(new float[] {1, 2}, 2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2]"), e.getMessage());
    }

    @Test
    void channelBiasBroadcastsOverAnImage() {
        Var img = Var.constant(Tensor.zeros(2, 3, 2, 2));
        Var y = F.add(img, c(new float[] {1, 2, 3}, 3, 1, 1));
        for (int n = 0; n < 2; n++) {
            for (int ch = 0; ch < 3; ch++) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(ch + 1f, y.value().at(((n * 3) + ch) * 4 + i));
                }
            }
        }
    }

    @Test
    void sameShapeGradientsMatchFiniteDifferences() {
        GradCheck.of(in -> F.add(in[0], in[1]), r(1, 3, 5), r(2, 3, 5)).verify();
        GradCheck.of(in -> F.sub(in[0], in[1]), r(3, 3, 5), r(4, 3, 5)).verify();
        GradCheck.of(in -> F.mul(in[0], in[1]), r(5, 3, 5), r(6, 3, 5)).verify();
        GradCheck.of(in -> F.div(in[0], in[1]), r(7, 3, 5), divisor(8, 3, 5)).verify();
    }

    @Test
    void broadcastGradientsSumOverTheStretchedDimensions() {
        int[][][] pairs = {
                {{2, 3, 4}, {4}},
                {{2, 3, 4}, {3, 1}},
                {{2, 1, 4}, {1, 3, 1}},
                {{5, 2}, {5, 1}},
                {{1}, {3, 2}},
                {{2, 3, 2, 2}, {3, 1, 1}},
        };
        long seed = 10;
        for (int[][] p : pairs) {
            GradCheck.of(in -> F.add(in[0], in[1]), r(seed++, p[0]), r(seed++, p[1])).verify();
            GradCheck.of(in -> F.sub(in[0], in[1]), r(seed++, p[0]), r(seed++, p[1])).verify();
            GradCheck.of(in -> F.mul(in[0], in[1]), r(seed++, p[0]), r(seed++, p[1])).verify();
            GradCheck.of(in -> F.div(in[0], in[1]), r(seed++, p[0]), divisor(seed++, p[1])).verify();
            GradCheck.of(in -> F.mul(in[1], in[0]), r(seed++, p[0]), r(seed++, p[1])).verify();
        }
    }

    @Test
    void largeBroadcastsRunInParallelAndStayExact() {
        // big enough to split into several tasks: u [8, 64, 10, 16] * c [8, 64, 10, 1] (capsule routing shape)
        Tensor u = r(41, 8, 64, 10, 16), cc = r(42, 8, 64, 10, 1);
        Var y = F.mul(Var.constant(u), Var.constant(cc));
        for (int i = 0; i < y.size(); i += 611) {
            assertEquals(u.at(i) * cc.at(i / 16), y.value().at(i));
        }
    }
}
