package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LossesTest {
    @Test
    void crossEntropyMatchesHandComputedValues() {
        Var even = Var.constant(Tensor.zeros(2, 4));
        assertEquals(Math.log(4), F.crossEntropy(even, new int[] {0, 3}).item(), 1e-6);
        Var x = Var.constant(Tensor.of(new float[] {2, 0, 0, 0, 3, 1}, 2, 3));
        double l0 = -(2 - Math.log(Math.exp(2) + 2)), l1 = -(1 - Math.log(1 + Math.exp(3) + Math.exp(1)));
        assertEquals((l0 + l1) / 2, F.crossEntropy(x, new int[] {0, 2}).item(), 1e-6);
        // smoothing 0.3 over 3 classes: target (0.8, 0.1, 0.1) for class 0
        double lp0 = 2 - Math.log(Math.exp(2) + 2), lq = -Math.log(Math.exp(2) + 2);
        double smoothed0 = -(0.8 * lp0 + 0.2 * lq);
        Var one = Var.constant(Tensor.of(new float[] {2, 0, 0}, 1, 3));
        assertEquals(smoothed0, F.crossEntropy(one, new int[] {0}, 0.3f).item(), 1e-6);
    }

    @Test
    void crossEntropyIsStableForHugeLogits() {
        Var x = Var.constant(Tensor.of(new float[] {1000, 0, -1000, 1000}, 2, 2));
        float l = F.crossEntropy(x, new int[] {0, 0}).item();
        assertEquals((0 + 2000) / 2f, l, 1e-3f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.crossEntropy(x, new int[] {0, 2}));
        assertTrue(e.getMessage().contains("label 2"), e.getMessage());
    }

    @Test
    void lossGradientsMatchFiniteDifferences() {
        Tensor logits = Tensor.uniform(1, -2f, 2f, 4, 5);
        int[] labels = {0, 4, 2, 2};
        GradCheck.of(in -> F.crossEntropy(in[0], labels), logits).verify();
        GradCheck.of(in -> F.crossEntropy(in[0], labels, 0.1f), logits).verify();
        GradCheck.of(in -> F.mseLoss(in[0], in[1]), Tensor.uniform(2, -1f, 1f, 3, 4), Tensor.uniform(3, -1f, 1f, 3, 4)).verify();
        GradCheck.of(in -> F.mseLoss(in[0], in[1], Losses.Reduction.SUM), Tensor.uniform(4, -1f, 1f, 6),
                Tensor.uniform(5, -1f, 1f, 6)).verify();
    }

    @Test
    void mseAveragesOrSumsSquaredErrors() {
        Var p = Var.constant(Tensor.of(new float[] {1, 2, 3}, 3)), t = Var.constant(Tensor.of(new float[] {1, 0, 0}, 3));
        assertEquals(13f / 3, F.mseLoss(p, t).item(), 1e-6f);
        assertEquals(13f, F.mseLoss(p, t, Losses.Reduction.SUM).item(), 1e-6f);
    }

    @Test
    void marginLossFollowsThePaper() {
        // lengths for 2 samples x 3 classes; labels 1 and 0
        Var v = Var.constant(Tensor.of(new float[] {0.5f, 0.95f, 0.05f, 0.6f, 0.3f, 0.1f}, 2, 3));
        double s0 = 0.5 * 0.4 * 0.4 + 0 + 0;                    // 0.5 false positive; 0.95 >= 0.9; 0.05 <= 0.1
        double s1 = 0.3 * 0.3 + 0.5 * 0.2 * 0.2 + 0;            // 0.6 short of 0.9; 0.3 false positive
        assertEquals((s0 + s1) / 2, F.marginLoss(v, new int[] {1, 0}).item(), 1e-6);
        // lengths away from the kinks at 0.1 and 0.9
        Tensor lengths = GradCheck.awayFrom(7, 0f, 1f, 0.03f, new float[] {0.1f, 0.9f}, 3, 4);
        GradCheck.of(in -> F.marginLoss(in[0], new int[] {3, 0, 1}), lengths).verify();
    }
}
