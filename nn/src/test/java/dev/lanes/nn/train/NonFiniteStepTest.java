package dev.lanes.nn.train;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.DataLoader;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.SyntheticDigits;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.optim.Sgd;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A NaN or infinite gradient stops training with the step and the first layer named, or is skipped on request. */
class NonFiniteStepTest {
    private static final Dataset DATA = SyntheticDigits.generate(21, 0, 64);

    /** {@code y = x * sqrt(gate)}: with a zero gate the output is finite (0) but the gate's gradient is infinite. */
    static final class SqrtGate extends Module {
        final Var gate;

        SqrtGate(int n, float value) {
            gate = addParameter("gate", Tensor.zeros(n).fill(value));
        }

        @Override
        public Var forward(Var x) {
            return layerOutput(F.mul(x, F.sqrt(gate)));
        }
    }

    private static Sequential model(float gate) {
        Sequential m = new Sequential(new Flatten(), new Linear(784, 8), new SqrtGate(8, gate), new Linear(8, 10));
        m.initialize(3);
        return m;
    }

    private static Trainer.Builder trainer(Module m, Sgd opt) {
        DataLoader loader = DataLoader.builder(DATA).batchSize(16).seed(5).build();
        return Trainer.builder(m, opt, loader).epochs(2).seed(9);
    }

    @Test
    void aNonFiniteGradientStopsBeforeTheUpdateNamingTheStepAndTheLayer() {
        Sequential m = model(0f);
        byte[] before = Safetensors.toBytes(m.stateDict(), Map.of());
        Sgd opt = new Sgd(m.namedParameters(), 0.1);
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> trainer(m, opt).build().fit());
        assertEquals("2.gate", e.parameter(), e.getMessage());
        assertEquals(1, e.step());
        assertTrue(e.getMessage().contains("gradient of 2.gate (layer 2") && e.getMessage().contains("at step 1"),
                e.getMessage());
        assertEquals(0, opt.steps(), "no update");
        assertArrayEquals(before, Safetensors.toBytes(m.stateDict(), Map.of()), "weights untouched");
    }

    @Test
    void withSkipOnlyTheBadStepsAreLeftOutAndTrainingGoesOn() throws IOException {
        Sequential m = model(1f);
        Var gate = ((SqrtGate) m.children().get("2")).gate;
        Sgd opt = new Sgd(m.namedParameters(), 0.05);
        TrainListener poison = new TrainListener() {
            boolean done;

            @Override
            public void step(StepProgress p) {
                if (p.step() == 2 && !done) {
                    done = true;
                    gate.value().fill(0f); // step 3 will have an infinite gradient
                }
            }

            @Override
            public void stepSkipped(NonFiniteLossException reason) {
                assertEquals("2.gate", reason.parameter());
                gate.value().fill(1f); // and step 4 a finite one again
            }
        };
        Trainer t = trainer(m, opt).skipNonFinite(true).listener(poison).build();
        Trainer.Result r = t.fit();
        assertEquals(1, t.skippedSteps());
        assertEquals(2 * 4 - 1, opt.steps(), "every batch but the bad one updated the weights");
        assertTrue(Double.isFinite(r.last().trainLoss()), "the skipped batch is not in the epoch's loss");
        for (Map.Entry<String, Var> p : m.namedParameters().entrySet()) {
            for (int i = 0; i < p.getValue().value().size(); i++) {
                assertTrue(Float.isFinite(p.getValue().value().data()[p.getValue().value().offset() + i]), p.getKey());
            }
        }
    }
}
