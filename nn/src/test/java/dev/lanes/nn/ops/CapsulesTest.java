package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CapsulesTest {
    @Test
    void squashShrinksLengthsIntoTheUnitBallKeepingDirection() {
        // s = (3, 4): |s| = 5, |v| = 25 / 26, direction (0.6, 0.8); second capsule is zero
        Var s = Var.constant(Tensor.of(new float[] {3, 4, 0, 0}, 2, 2));
        float[] v = F.squash(s, -1).value().toArray();
        assertEquals(25.0 / 26 * 0.6, v[0], 1e-6);
        assertEquals(25.0 / 26 * 0.8, v[1], 1e-6);
        assertEquals(0f, v[2]);
        assertEquals(0f, v[3]);
    }

    @Test
    void squashAlongAMiddleAxisTreatsEachVectorAlone() {
        Var s = Var.constant(Tensor.of(new float[] {3, 0, 4, 0}, 1, 2, 2));
        float[] v = F.squash(s, 1).value().toArray();
        assertEquals(25.0 / 26 * 0.6, v[0], 1e-6);
        assertEquals(25.0 / 26 * 0.8, v[2], 1e-6);
        assertEquals(0f, v[1]);
    }

    @Test
    void squashGradientsMatchFiniteDifferences() {
        GradCheck.of(in -> F.squash(in[0], -1), Tensor.uniform(1, -1.5f, 1.5f, 3, 4, 5)).verify();
        GradCheck.of(in -> F.squash(in[0], 1), Tensor.uniform(2, -1.5f, 1.5f, 3, 4, 5)).verify();
        // short vectors, where |v| grows quadratically
        GradCheck.of(in -> F.squash(in[0], -1), Tensor.uniform(3, -0.2f, 0.2f, 4, 3)).tolerance(2e-2, 1e-3).verify();
    }
}
