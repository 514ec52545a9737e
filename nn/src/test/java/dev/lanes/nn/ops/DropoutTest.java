package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class DropoutTest {
    @Test
    void evaluationIsTheIdentity() {
        Var x = Var.constant(Tensor.ones(10));
        assertSame(x, F.dropout(x, 0.5f, false));
    }

    @Test
    void trainingDropsAboutPAndRescalesTheRest() {
        int n = 100_000;
        float[] y;
        try (Tape tape = Tape.recording(42)) {
            y = F.dropout(tape.input(Tensor.ones(n)), 0.3f, true).value().toArray();
        }
        int zeros = 0;
        for (float v : y) {
            if (v == 0f) {
                zeros++;
            } else {
                assertEquals(1f / 0.7f, v, 1e-6f);
            }
        }
        assertEquals(0.3, zeros / (double) n, 0.01);
    }

    @Test
    void theMaskDependsOnTheSeedAndStreamOnlyNotOnThreads() {
        Tensor x = Tensor.uniform(1, -1f, 1f, 70_000);
        int before = Parallel.threads();
        float[][] masks = new float[3][];
        try {
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                try (Tape tape = Tape.recording(7)) {
                    masks[t - 1] = F.dropout(tape.input(x), 0.5f, true).value().toArray();
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(masks[0], masks[1]);
        assertArrayEquals(masks[0], masks[2]);
        try (Tape tape = Tape.recording(7)) {
            Var in = tape.input(x);
            float[] first = F.dropout(in, 0.5f, true).value().toArray();
            float[] second = F.dropout(in, 0.5f, true).value().toArray();
            assertArrayEquals(masks[0], first);
            assertFalse(java.util.Arrays.equals(first, second), "each call draws a new mask");
        }
        try (Tape tape = Tape.recording(8)) {
            assertFalse(java.util.Arrays.equals(masks[0], F.dropout(tape.input(x), 0.5f, true).value().toArray()));
        }
    }

    @Test
    void gradientPassesOnlyThroughKeptElements() {
        GradCheck.of(in -> Dropout.dropout(in[0], 0.4f, 12345L), Tensor.uniform(2, -1f, 1f, 6, 7)).verify();
        GradCheck.of(in -> F.dropout(in[0], 0.4f, true), Tensor.uniform(3, -1f, 1f, 6, 7)).verify();
    }
}
