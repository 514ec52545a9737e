package dev.lanes.nn;

import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TapeTest {
    @Test
    void aValueUsedTwiceReceivesTheSumOfBothGradients() {
        Var w = Var.parameter(Tensor.of(new float[] {3f, -2f}, 2));
        try (Tape tape = Tape.recording()) {
            Var x = tape.input(Tensor.of(new float[] {1f, 5f}, 2));
            Var h = F.mul(w, x);
            // loss = sum(h * h + h): dloss/dw = (2h + 1) * x
            Var loss = F.sum(F.add(F.mul(h, h), h));
            tape.backward(loss);
            assertEquals(3f * 3f + 3f + 100f - 10f, loss.item(), 1e-5f);
        }
        assertArrayEquals(new float[] {(2 * 3 + 1) * 1f, (2 * -10 + 1) * 5f}, w.grad().toArray(), 1e-5f);
    }

    @Test
    void parameterGradientsAccumulateAcrossStepsUntilZeroed() {
        Var w = Var.parameter(Tensor.of(new float[] {2f}, 1));
        for (int step = 0; step < 2; step++) {
            try (Tape tape = Tape.recording()) {
                tape.backward(F.scale(F.mul(w, tape.input(Tensor.of(new float[] {4f}, 1))), 1f));
            }
        }
        assertEquals(8f, w.grad().at(0));
        w.zeroGrad();
        assertEquals(0f, w.grad().at(0));
    }

    @Test
    void inferenceRecordsNothingAndBackwardIsRefused() {
        Var w = Var.parameter(Tensor.ones(2, 2));
        try (Tape tape = Tape.inference()) {
            Var y = F.linear(tape.input(Tensor.ones(3, 2)), w, null);
            assertFalse(y.requiresGrad());
            assertEquals(0, tape.size());
            assertArrayEquals(new float[] {2f, 2f, 2f, 2f, 2f, 2f}, y.value().toArray());
            assertThrows(IllegalStateException.class, () -> tape.backward(y, Tensor.ones(3, 2)));
        }
    }

    @Test
    void opsWithoutAnyTapeRunUntracked() {
        Var w = Var.parameter(Tensor.of(new float[] {1f, -1f}, 2));
        Var y = F.relu(w);
        assertNull(y.tape());
        assertFalse(y.requiresGrad());
        assertArrayEquals(new float[] {1f, 0f}, y.value().toArray());
    }

    @Test
    void opsOnParametersAloneRecordOnTheOpenTape() {
        Var w = Var.parameter(Tensor.of(new float[] {1f, -2f}, 2));
        try (Tape tape = Tape.recording()) {
            Var penalty = F.sum(F.square(w));
            assertSame(tape, penalty.tape());
            tape.backward(penalty);
        }
        assertArrayEquals(new float[] {2f, -4f}, w.grad().toArray());
    }

    @Test
    void aSecondBackwardOnTheSameTapeIsRefused() {
        Var w = Var.parameter(Tensor.ones(1));
        try (Tape tape = Tape.recording()) {
            Var loss = F.scale(w, 2f);
            tape.backward(loss);
            assertThrows(IllegalStateException.class, () -> tape.backward(loss));
        }
    }

    @Test
    void valuesOfAClosedTapeCannotBeUsed() {
        Var y;
        try (Tape tape = Tape.recording()) {
            y = F.relu(tape.input(Tensor.ones(2)));
        }
        Var stale = y;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> F.relu(stale));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertNull(Tape.current());
    }

    @Test
    void inputsFromTwoTapesAreRefused() {
        try (Tape a = Tape.recording(); Tape b = Tape.recording()) {
            Var x = a.input(Tensor.ones(2));
            Var y = b.input(Tensor.ones(2));
            assertThrows(IllegalArgumentException.class, () -> F.add(x, y));
        }
    }

    @Test
    void backwardNeedsAOneElementLossOrAnExplicitGradient() {
        Var w = Var.parameter(Tensor.ones(3));
        try (Tape tape = Tape.recording()) {
            Var y = F.scale(w, 2f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tape.backward(y));
            assertTrue(e.getMessage().contains("[3]"), e.getMessage());
            tape.backward(y, Tensor.of(new float[] {1f, 2f, 3f}, 3));
        }
        assertArrayEquals(new float[] {2f, 4f, 6f}, w.grad().toArray());
    }

    @Test
    void aSteadyStateStepBorrowsEveryBufferFromThePool() {
        Var w = Var.parameter(Tensor.uniform(1, -1f, 1f, 16, 32));
        Tensor x = Tensor.uniform(2, -1f, 1f, 8, 32);
        BufferPool pool = BufferPool.forCurrentThread();
        long[] after = new long[3];
        for (int step = 0; step < 3; step++) {
            try (Tape tape = Tape.recording()) {
                Var h = F.tanh(F.linear(tape.input(x), w, null));
                tape.backward(F.mean(F.square(h)));
            }
            after[step] = pool.allocatedBytes();
        }
        assertTrue(after[0] > 0);
        assertEquals(after[0], after[1]);
        assertEquals(after[1], after[2]);
    }

    /** A chain of 24 ops: without giving gradients back, the backward pass would borrow 24 more activations. */
    @Test
    void theBackwardPassReusesTheGradientsOfTheOpsItHasPassed() {
        int depth = 24, n = 4096;
        Tensor x = Tensor.uniform(5, -1f, 1f, n);
        BufferPool pool = new BufferPool();
        Var in, mid;
        long forward, step;
        try (Tape tape = Tape.recording(pool, 1)) {
            in = tape.input(x, true);
            Var h = in;
            Var kept = null;
            for (int i = 0; i < depth; i++) {
                h = F.tanh(h);
                if (i == depth / 2) {
                    kept = h;
                }
            }
            mid = kept;
            Var loss = F.sum(h);
            forward = pool.allocatedBytes();
            tape.backward(loss);
            step = pool.allocatedBytes();
            assertNull(mid.grad(), "an op's output gives its gradient back once the op's backward step ran");
            assertNotNull(in.grad(), "an input wrapped with requiresGrad keeps its gradient");
            // d/dx of tanh^24(x) by the chain rule, computed alongside
            float[] want = new float[n], xs = x.toArray();
            for (int k = 0; k < n; k++) {
                double v = xs[k], d = 1;
                for (int i = 0; i < depth; i++) {
                    v = Math.tanh(v);
                    d *= 1 - v * v;
                }
                want[k] = (float) d;
            }
            assertArrayEquals(want, in.grad().toArray(), 1e-5f);
        }
        assertTrue(forward >= 4L * n * depth, "forward borrowed " + forward);
        assertTrue(step - forward <= 4L * n * 3, "backward borrowed " + (step - forward) + " bytes beyond the forward's "
                + forward + ": more than the gradients in flight");
    }

    /**
     * After a step of another shape (a short last batch, evaluation) the pool keeps the arrays of
     * that shape only, not those of both; a steady state still allocates nothing.
     */
    @Test
    void aStepOfANewShapeDropsTheFreeArraysOfTheOldOne() {
        Var w = Var.parameter(Tensor.uniform(1, -1f, 1f, 16, 32));
        BufferPool pool = new BufferPool();
        long big = trainStep(pool, w, 64), bigHeld = pool.freeBytes();
        assertEquals(big, pool.allocatedBytes(), "the first step allocates");
        trainStep(pool, w, 64);
        assertEquals(big, pool.allocatedBytes(), "a second step of the same shape allocates nothing");
        long small = trainStep(pool, w, 3) - big;
        assertTrue(small > 0 && small < bigHeld, small + " vs " + bigHeld);
        assertEquals(small, pool.freeBytes(), "only the new shape's arrays stay in the pool");
        long before = pool.allocatedBytes();
        trainStep(pool, w, 3);
        assertEquals(before, pool.allocatedBytes(), "steady again");
        trainStep(pool, w, 64);
        assertEquals(bigHeld, pool.freeBytes(), "back to the first shape: its arrays, allocated again, and no others");
    }

    private static long trainStep(BufferPool pool, Var w, int batch) {
        try (Tape tape = Tape.recording(pool, 1)) {
            Var h = F.tanh(F.linear(tape.input(Tensor.uniform(2, -1f, 1f, batch, 32)), w, null));
            tape.backward(F.mean(F.square(h)));
        }
        return pool.allocatedBytes();
    }

    @Test
    void twoThreadsWithTheirOwnTapesDoNotInterfere() throws Exception {
        Tensor x = Tensor.uniform(3, -1f, 1f, 64, 20);
        float[] alone = gradientOfOneStep(x);
        float[][] results = new float[2][];
        Concurrently.run(2, id -> {
            for (int rep = 0; rep < 20; rep++) {
                results[id] = gradientOfOneStep(x);
            }
        });
        assertArrayEquals(alone, results[0]);
        assertArrayEquals(alone, results[1]);
    }

    private static float[] gradientOfOneStep(Tensor x) {
        Var w = Var.parameter(Tensor.uniform(9, -0.5f, 0.5f, 10, 20));
        try (Tape tape = Tape.recording()) {
            Var h = F.relu(F.linear(tape.input(x), w, null));
            tape.backward(F.mean(F.mul(h, h)));
        }
        return w.grad().toArray();
    }
}
