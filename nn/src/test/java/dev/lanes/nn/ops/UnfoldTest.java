package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class UnfoldTest {
    @Test
    void patchesTimesTheFlattenedKernelIsTheConvolution() {
        for (int[] c : new int[][] {{1, 0}, {2, 1}, {3, 2}}) {
            int stride = c[0], pad = c[1];
            Tensor x = Tensor.uniform(1, -1f, 1f, 2, 3, 7, 6);
            Tensor w = Tensor.uniform(2, -1f, 1f, 4, 3, 3, 2);
            Var conv = F.conv2d(Var.constant(x), Var.constant(w), null, stride, stride, pad, pad, 1, 1, 1);
            Var patches = F.unfold(Var.constant(x), 3, 2, stride, pad);                    // [N, L, 18]
            Var viaGemm = F.matmul(patches, false, Var.constant(w.reshape(4, 18)), true);  // [N, L, 4]
            int oh = conv.dim(2), ow = conv.dim(3);
            assertArrayEquals(new int[] {2, oh * ow, 18}, patches.shape());
            for (int n = 0; n < 2; n++) {
                for (int o = 0; o < 4; o++) {
                    for (int p = 0; p < oh * ow; p++) {
                        assertEquals(conv.value().at(((n * 4 + o) * oh * ow) + p), viaGemm.value().at((n * oh * ow + p) * 4 + o),
                                1e-5, "stride " + stride + " pad " + pad);
                    }
                }
            }
        }
    }

    @Test
    void unfoldGradientMatchesFiniteDifferences() {
        GradCheck.of(in -> F.unfold(in[0], 3, 3, 2, 1), Tensor.uniform(3, -1f, 1f, 2, 2, 5, 6)).verify();
        GradCheck.of(in -> F.unfold(in[0], 2, 3, 1, 0), Tensor.uniform(4, -1f, 1f, 1, 3, 4, 4)).verify();
    }

    @Test
    void aKernelLargerThanThePaddedInputIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.unfold(Var.constant(Tensor.zeros(1, 1, 2, 2)), 5, 5, 1, 1));
        assertTrue(e.getMessage().contains("[1, 1, 2, 2]"), e.getMessage());
    }
}
