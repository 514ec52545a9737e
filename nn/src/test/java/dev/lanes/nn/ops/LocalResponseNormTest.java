package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class LocalResponseNormTest {
    @Test
    void forwardMatchesTheDefinitionWithPyTorchsWindow() {
        // one pixel, channels 1..4, size 3: window of channel c is [c - 1, c + 1]
        Var x = Var.constant(Tensor.of(new float[] {1, 2, 3, 4}, 1, 4, 1, 1));
        float alpha = 0.3f, beta = 0.75f, k = 2f;
        float[] y = F.localResponseNorm(x, 3, alpha, beta, k).value().toArray();
        double[] sq = {1 + 4, 1 + 4 + 9, 4 + 9 + 16, 9 + 16};
        for (int c = 0; c < 4; c++) {
            assertEquals((c + 1) / Math.pow(k + alpha / 3 * sq[c], beta), y[c], 1e-6);
        }
        // even size 4: window [c - 2, c + 1]
        float[] z = F.localResponseNorm(x, 4, alpha, beta, k).value().toArray();
        assertEquals(3 / Math.pow(k + alpha / 4 * (1 + 4 + 9 + 16), beta), z[2], 1e-6);
        assertEquals(4 / Math.pow(k + alpha / 4 * (4 + 9 + 16), beta), z[3], 1e-6);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.uniform(1, -2f, 2f, 2, 6, 2, 3);
        GradCheck.of(in -> F.localResponseNorm(in[0], 5, 0.5f, 0.75f, 1f), x).verify();
        GradCheck.of(in -> F.localResponseNorm(in[0], 2, 1f, 0.5f, 2f), x).verify();
        // AlexNet's constants, where the normalization is mild but must still be exact
        GradCheck.of(in -> F.localResponseNorm(in[0], 5, 1e-4f, 0.75f, 2f), x).verify();
    }
}
