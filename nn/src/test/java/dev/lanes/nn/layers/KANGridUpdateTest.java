package dev.lanes.nn.layers;

import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.DataLoader;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.SyntheticDigits;
import dev.lanes.nn.optim.Adam;
import dev.lanes.nn.train.Trainer;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Grid update during training: which layers, what data, what it keeps, and when the listener fires. */
class KANGridUpdateTest {
    /** Two KAN layers with a batch norm between, splines given a clear shape (not the near-zero init). */
    private static Sequential twoLayers() {
        Sequential m = new Sequential(new KANLinear(3, 4), new BatchNorm1d(4), new KANLinear(4, 2));
        m.initialize(5);
        for (KANLinear k : KANGridUpdate.layers(m)) {
            float[] w = k.splineWeight().value().data();
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.sin(0.7 * i);
            }
        }
        return m;
    }

    private static float[] output(Module m, Tensor x) {
        try (Tape t = Tape.inference()) {
            return m.forward(t.input(x)).value().toArray();
        }
    }

    /** The input {@code layer} sees on {@code x}. */
    private static Tensor inputOf(Module m, KANLinear layer, Tensor x) {
        layer.captureInputs(Integer.MAX_VALUE);
        output(m, x);
        return layer.takeCapturedInput();
    }

    @Test
    void everyLayersGridCoversItsInputsAndTheOutputStaysClose() {
        Sequential m = twoLayers();
        m.eval();                                   // the batch norm's running statistics: a fixed map
        Tensor x = Tensor.uniform(3, -0.9f, 0.3f, 600, 3);
        float[] before = output(m, x);
        KANGridUpdate.update(m, x, 0.01f);
        float[] after = output(m, x);

        for (KANLinear k : KANGridUpdate.layers(m)) {
            Tensor in = inputOf(m, k, x);
            int features = k.inFeatures(), m1 = k.gridSize() + 2 * k.order() + 1;
            for (int f = 0; f < features; f++) {
                float lo = Float.MAX_VALUE, hi = -Float.MAX_VALUE;
                for (int r = 0; r < in.dim(0); r++) {
                    lo = Math.min(lo, in.at(r * features + f));
                    hi = Math.max(hi, in.at(r * features + f));
                }
                // the interior knots t_k .. t_{k+G} span the data (up to the 0.01 margin and the 2% uniform mix)
                float t0 = k.grid().at(f * m1 + k.order()), tg = k.grid().at(f * m1 + k.order() + k.gridSize());
                assertTrue(t0 <= lo + 1e-4f && tg >= hi - 1e-4f, k + " feature " + f + ": grid [" + t0 + ", " + tg
                        + "], data [" + lo + ", " + hi + "]");
                assertTrue(t0 > lo - 0.05f && tg < hi + 0.05f, "the grid is not fitted to the data: [" + t0 + ", "
                        + tg + "] for [" + lo + ", " + hi + "]");
            }
        }
        double rms = 0, scale = 0;
        for (int i = 0; i < before.length; i++) {
            rms += (before[i] - after[i]) * (double) (before[i] - after[i]);
            scale += before[i] * (double) before[i];
        }
        rms = Math.sqrt(rms / before.length);
        scale = Math.sqrt(scale / before.length);
        assertTrue(scale > 0.1, "the outputs are too small to show anything: rms " + scale);
        assertTrue(rms < 0.03 * scale, "the refit changed the outputs by rms " + rms + " (outputs' rms " + scale + ")");
    }

    @Test
    void anUpdateChangesOnlyGridsAndSplinesNotTheBatchNormStatistics() {
        Sequential m = twoLayers();
        m.train();
        Tensor mean = m.namedBuffers().get("1.running_mean").copy();
        Tensor baseWeight = KANGridUpdate.layers(m).get(1).baseWeight().value().copy();
        Tensor grid = KANGridUpdate.layers(m).get(1).grid().copy();
        KANGridUpdate.update(m, Tensor.uniform(4, 0.2f, 0.9f, 200, 3), 0.01f);
        assertArrayEquals(mean.toArray(), m.namedBuffers().get("1.running_mean").toArray());
        assertArrayEquals(baseWeight.toArray(), KANGridUpdate.layers(m).get(1).baseWeight().value().toArray());
        assertFalse(java.util.Arrays.equals(grid.toArray(), KANGridUpdate.layers(m).get(1).grid().toArray()),
                "the second layer's grid did not move");
    }

    @Test
    void theLayersOfAKanConvolutionAreFound() {
        Sequential m = new Sequential(new KANConv2d(1, 2, 3, 1, 1), new Flatten(), new KANLinear(2 * 4 * 4, 3));
        List<KANLinear> layers = KANGridUpdate.layers(m);
        assertEquals(2, layers.size());
        assertEquals(9, layers.get(0).inFeatures());
        assertThrows(IllegalArgumentException.class, () -> new KANGridUpdate(new Sequential(new Linear(2, 2)),
                Tensor.zeros(4, 2), 1, 1));
    }

    @Test
    void theListenerUpdatesAfterEveryNthStepUpToTheLast() throws Exception {
        Dataset data = SyntheticDigits.generate(8, 0, 96);
        Sequential m = new Sequential(new Flatten(), new KANLinear(28 * 28, 8, 5, 3, 0f, 1f), new KANLinear(8, 10));
        m.initialize(3);
        Tensor grid0 = KANGridUpdate.layers(m).get(1).grid().copy();
        DataLoader train = DataLoader.builder(data).batchSize(16).seed(1).build();      // 6 steps per epoch
        Tensor sample = Tensor.zeros(32, 1, 28, 28);
        for (int i = 0; i < 32; i++) {
            data.read(i, sample.data(), i * 28 * 28);
        }
        KANGridUpdate updates = new KANGridUpdate(m, sample, 4, 9);
        Trainer t = Trainer.builder(m, new Adam(m.namedParameters(), 1e-3), train).epochs(2).seed(1)
                .listener(updates).build();
        Trainer.Result r = t.fit();
        assertEquals(2, updates.updates(), "steps 4 and 8 of 12");
        assertFalse(java.util.Arrays.equals(grid0.toArray(), KANGridUpdate.layers(m).get(1).grid().toArray()));
        assertTrue(Double.isFinite(r.last().trainLoss()), "loss " + r.last().trainLoss());
    }
}
