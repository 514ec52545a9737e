package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class ShapeOpsTest {
    private static Var seq(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = i;
        }
        return Var.constant(t);
    }

    private static Tensor r(long seed, int... shape) {
        return Tensor.uniform(seed, -1f, 1f, shape);
    }

    @Test
    void reshapeAndFlattenShareTheArray() {
        Var x = seq(2, 3, 4);
        Var f = F.flatten(x);
        assertArrayEquals(new int[] {2, 12}, f.shape());
        assertSame(x.value().data(), f.value().data());
        assertArrayEquals(new int[] {6, 4}, F.reshape(x, -1, 4).shape());
        assertArrayEquals(new int[] {24}, F.flatten(x, 0).shape());
    }

    @Test
    void permuteAndTransposeMoveElements() {
        Var x = seq(2, 3, 4);
        Var p = F.permute(x, 2, 0, 1);
        assertArrayEquals(new int[] {4, 2, 3}, p.shape());
        // p[k, i, j] = x[i, j, k] = 12 i + 4 j + k
        assertEquals(12 * 1 + 4 * 2 + 3, p.value().get(3, 1, 2));
        Var t = F.transpose(seq(2, 3), 0, 1);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, t.value().toArray());
        assertThrows(IllegalArgumentException.class, () -> F.permute(x, 0, 0, 1));
    }

    @Test
    void concatNarrowSplitAndPadAgree() {
        Var a = seq(2, 2), b = Var.constant(Tensor.of(new float[] {9, 8, 7, 6, 5, 4}, 2, 3));
        Var c = F.concat(List.of(a, b), 1);
        assertArrayEquals(new float[] {0, 1, 9, 8, 7, 2, 3, 6, 5, 4}, c.value().toArray());
        assertArrayEquals(new float[] {9, 8, 6, 5}, F.narrow(c, 1, 2, 2).value().toArray());
        List<Var> parts = F.split(c, 1, 2, 3);
        assertArrayEquals(a.value().toArray(), parts.get(0).value().toArray());
        assertArrayEquals(b.value().toArray(), parts.get(1).value().toArray());
        Var p = F.pad(a, 0, 1, 2);
        assertArrayEquals(new int[] {5, 2}, p.shape());
        assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3, 0, 0, 0, 0}, p.value().toArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> F.concat(List.of(a, seq(3, 3)), 1));
        assertTrue(e.getMessage().contains("[3, 3]"), e.getMessage());
    }

    @Test
    void zerosAreAConstantOnTheTapeOfTheirReference() {
        try (dev.lanes.nn.Tape tape = dev.lanes.nn.Tape.recording()) {
            Var x = tape.input(Tensor.ones(2, 3), true);
            Var z = F.zeros(x, 2, 1, 3);
            assertSame(tape, z.tape());
            assertFalse(z.requiresGrad());
            assertArrayEquals(new float[6], z.value().toArray());
            Var y = F.add(x, F.sum(z, 1));
            tape.backward(F.sum(y));
            assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, x.grad().toArray());
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = r(1, 2, 3, 4);
        GradCheck.of(in -> F.reshape(in[0], 4, 6), x).verify();
        GradCheck.of(in -> F.flatten(in[0]), x).verify();
        GradCheck.of(in -> F.permute(in[0], 1, 2, 0), x).verify();
        GradCheck.of(in -> F.transpose(in[0], 0, 2), x).verify();
        GradCheck.of(in -> F.narrow(in[0], 1, 1, 2), x).verify();
        GradCheck.of(in -> F.narrow(in[0], 2, 0, 3), x).verify();
        GradCheck.of(in -> F.pad(in[0], 1, 2, 1), x).verify();
        GradCheck.of(in -> F.concat(List.of(in[0], in[1], in[0]), 1), x, r(2, 2, 2, 4)).verify();
        GradCheck.of(in -> F.concat(List.of(in[1], in[0]), 0), x, r(3, 1, 3, 4)).verify();
        GradCheck.of(in -> {
            List<Var> s = F.split(in[0], 2, 1, 3);
            return F.mul(F.sum(s.get(0), 2), F.sum(s.get(1), 2));
        }, x).verify();
    }
}
