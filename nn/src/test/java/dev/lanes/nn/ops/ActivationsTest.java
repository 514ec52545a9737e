package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ActivationsTest {
    private static final float[] VALUES = {-3f, -1f, -0.25f, 0.5f, 2f};

    private static float[] apply(java.util.function.UnaryOperator<Var> f) {
        return f.apply(Var.constant(Tensor.of(VALUES, 5))).value().toArray();
    }

    private static Tensor smooth(long seed) {
        return Tensor.uniform(seed, -2.5f, 2.5f, 3, 7);
    }

    /** Inputs at least 0.05 away from 0, so that eps = 0.01 never crosses a kink. */
    private static Tensor awayFromZero(long seed) {
        return GradCheck.awayFrom(seed, -2f, 2f, 0.05f, new float[] {0f}, 3, 7);
    }

    @Test
    void forwardValuesMatchTheirDefinitions() {
        assertArrayEquals(new float[] {0f, 0f, 0f, 0.5f, 2f}, apply(F::relu));
        assertArrayEquals(new float[] {-0.3f, -0.1f, -0.025f, 0.5f, 2f}, apply(x -> F.leakyRelu(x, 0.1f)), 1e-7f);
        float[] tanh = apply(F::tanh), sig = apply(F::sigmoid), silu = apply(F::silu), gelu = apply(F::gelu);
        // GELU values from the exact definition x * Phi(x) (Phi(-1) = 0.158655254, Phi(2) = 0.977249868)
        assertEquals(-1 * 0.158655254, gelu[1], 1e-6);
        assertEquals(2 * 0.977249868, gelu[4], 1e-6);
        assertEquals(-3 * 0.001349898, gelu[0], 1e-7);
        for (int i = 0; i < 5; i++) {
            double x = VALUES[i], s = 1 / (1 + Math.exp(-x));
            assertEquals(Math.tanh(x), tanh[i], 1e-6);
            assertEquals(s, sig[i], 1e-6);
            assertEquals(x * s, silu[i], 1e-6);
        }
    }

    @Test
    void erfcIsAccurateToFloatPrecision() {
        // reference values of erfc from tables
        assertEquals(1.0, Activations.erfc(0), 1e-7);
        assertEquals(0.157299207050285, Activations.erfc(1), 2e-8);
        assertEquals(1.842700792949715, Activations.erfc(-1), 2e-8);
        assertEquals(0.004677734981047, Activations.erfc(2), 1e-9);
    }

    @Test
    void smoothActivationGradientsMatchFiniteDifferences() {
        GradCheck.of(in -> F.tanh(in[0]), smooth(1)).verify();
        GradCheck.of(in -> F.sigmoid(in[0]), smooth(2)).verify();
        GradCheck.of(in -> F.silu(in[0]), smooth(3)).verify();
        GradCheck.of(in -> F.gelu(in[0]), smooth(4)).verify();
        GradCheck.of(in -> F.exp(in[0]), smooth(5)).verify();
        GradCheck.of(in -> F.square(in[0]), smooth(6)).verify();
        GradCheck.of(in -> F.scale(in[0], -1.5f), smooth(7)).verify();
        GradCheck.of(in -> F.addScalar(in[0], 3f), smooth(8)).verify();
    }

    @Test
    void kinkedActivationGradientsMatchFiniteDifferencesAwayFromTheKink() {
        GradCheck.of(in -> F.relu(in[0]), awayFromZero(11)).verify();
        GradCheck.of(in -> F.leakyRelu(in[0], 0.2f), awayFromZero(12)).verify();
        GradCheck.of(in -> F.abs(in[0]), awayFromZero(13)).verify();
    }

    @Test
    void logAndSqrtGradientsMatchOnPositiveInputs() {
        Tensor pos = Tensor.uniform(21, 0.5f, 3f, 4, 5);
        GradCheck.of(in -> F.log(in[0]), pos).verify();
        GradCheck.of(in -> F.sqrt(in[0]), pos).verify();
    }

    @Test
    void aWrongSlopeFailsTheCheck() {
        // the checker itself must catch a broken backward: a relu whose slope is off by 10%
        AssertionError e = assertThrows(AssertionError.class, () -> GradCheck.of(
                in -> Pointwise.map("badRelu", in[0], v -> Math.max(v, 0f), (v, y) -> v > 0 ? 1.1f : 0f),
                awayFromZero(31)).verify());
        assertTrue(e.getMessage().contains("analytic"), e.getMessage());
        assertThrows(AssertionError.class, () -> GradCheck.of(
                in -> Pointwise.map("badTanh", in[0], v -> (float) Math.tanh(v), (v, y) -> -(1 - y * y)),
                smooth(32)).verify());
    }
}
