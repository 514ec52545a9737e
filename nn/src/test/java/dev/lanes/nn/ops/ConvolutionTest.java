package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ConvolutionTest {
    private static Tensor r(long seed, int... shape) {
        return Tensor.uniform(seed, -1f, 1f, shape);
    }

    @Test
    void conv2dMatchesAHandComputedCase() {
        // 1x1x3x3 input 1..9, 2x2 kernel [[1, 0], [0, -1]], bias 0.5: y = x[i][j] - x[i+1][j+1] + 0.5 = -3.5
        Var x = Var.constant(Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 1, 3, 3));
        Var w = Var.constant(Tensor.of(new float[] {1, 0, 0, -1}, 1, 1, 2, 2));
        Var y = F.conv2d(x, w, Var.constant(Tensor.of(new float[] {0.5f}, 1)));
        assertArrayEquals(new int[] {1, 1, 2, 2}, y.shape());
        assertArrayEquals(new float[] {-3.5f, -3.5f, -3.5f, -3.5f}, y.value().toArray());
        // padding 1, stride 2: windows start at (-1,-1), (-1,1), (1,-1), (1,1); the last is 5 - 9
        Var p = F.conv2d(x, w, null, 2, 1);
        assertArrayEquals(new float[] {-1, -3, -7, -4}, p.value().toArray());
    }

    @Test
    void conv2dGradientsMatchFiniteDifferences() {
        GradCheck.of(in -> F.conv2d(in[0], in[1], in[2]), r(1, 2, 3, 5, 5), r(2, 4, 3, 3, 3), r(3, 4)).verify();
        GradCheck.of(in -> F.conv2d(in[0], in[1], in[2], 2, 1), r(4, 2, 2, 6, 5), r(5, 3, 2, 3, 3), r(6, 3)).verify();
        GradCheck.of(in -> F.conv2d(in[0], in[1], null, 1, 2, 2, 1), r(7, 1, 2, 6, 6), r(8, 2, 2, 3, 3)).verify();
        GradCheck.of(in -> F.conv2d(in[0], in[1], in[2], 1, 1, 1, 2), r(9, 2, 4, 4, 4), r(10, 6, 2, 3, 3), r(11, 6)).verify();
        // rectangular kernel, stride and padding
        GradCheck.of(in -> F.conv2d(in[0], in[1], null, 2, 1, 0, 1, 1, 1, 1), r(12, 1, 2, 5, 4), r(13, 2, 2, 1, 3)).verify();
    }

    @Test
    void transposedConvolutionScattersEachInputThroughTheKernel() {
        // 1x1x2x2 input [[1, 2], [3, 4]], 1x1x2x2 kernel [[1, 10], [100, 1000]], stride 2: no overlaps
        Var x = Var.constant(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2));
        Var w = Var.constant(Tensor.of(new float[] {1, 10, 100, 1000}, 1, 1, 2, 2));
        Var y = F.convTranspose2d(x, w, null, 2, 0);
        assertArrayEquals(new int[] {1, 1, 4, 4}, y.shape());
        assertArrayEquals(new float[] {
                1, 10, 2, 20,
                100, 1000, 200, 2000,
                3, 30, 4, 40,
                300, 3000, 400, 4000}, y.value().toArray());
        // stride 1: overlaps add up; centre of a 3x3 output = 1*1000 + 2*100 + 3*10 + 4*1
        Var z = F.convTranspose2d(x, w, Var.constant(Tensor.of(new float[] {0.5f}, 1)), 1, 0);
        assertArrayEquals(new int[] {1, 1, 3, 3}, z.shape());
        assertEquals(1234.5f, z.value().get(0, 0, 1, 1));
        assertEquals(1.5f, z.value().get(0, 0, 0, 0));
    }

    @Test
    void transposedConvolutionOutputSizesFollowPyTorch() {
        Var x = Var.constant(r(1, 2, 4, 5, 5));
        Var w = Var.constant(r(2, 4, 3, 3, 3));
        // (5 - 1) * 2 - 2 * 1 + (3 - 1) + 1 + 1 = 10
        assertArrayEquals(new int[] {2, 3, 10, 10}, F.convTranspose2d(x, w, null, 2, 1, 1, 1, 1).shape());
        Var g = Var.constant(r(3, 4, 1, 3, 3));
        assertArrayEquals(new int[] {2, 2, 7, 7}, F.convTranspose2d(x, g, null, 1, 0, 0, 1, 2).shape());
    }

    @Test
    void transposedConvolutionGradientsMatchFiniteDifferences() {
        GradCheck.of(in -> F.convTranspose2d(in[0], in[1], in[2], 2, 1), r(1, 2, 3, 3, 3), r(2, 3, 2, 3, 3), r(3, 2)).verify();
        GradCheck.of(in -> F.convTranspose2d(in[0], in[1], in[2], 2, 1, 1, 1, 1), r(4, 1, 2, 3, 3), r(5, 2, 3, 3, 3), r(6, 3)).verify();
        GradCheck.of(in -> F.convTranspose2d(in[0], in[1], null, 1, 0, 0, 2, 2), r(7, 1, 4, 3, 3), r(8, 4, 1, 2, 2)).verify();
    }
}
