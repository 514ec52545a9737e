package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Summary;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.init.Init;
import dev.lanes.nn.io.DType;
import dev.lanes.nn.io.StateDict;
import dev.lanes.nn.io.StateDictMismatchException;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LayersTest {
    /** A block with named children, like a residual block. */
    static final class Block extends Module {
        final Conv2d conv1 = addModule("conv1", new Conv2d(3, 4, 3, 1, 1, 1, 1, false));
        final BatchNorm2d bn1 = addModule("bn1", new BatchNorm2d(4));

        @Override
        public Var forward(Var x) {
            return F.relu(bn1.forward(conv1.forward(x)));
        }
    }

    static final class Net extends Module {
        final Sequential features = addModule("features", new Sequential(new Conv2d(3, 3, 3, 1, 1), new ReLU()));
        final Sequential layer1 = addModule("layer1", new Sequential(new Block()));
        final Linear fc = addModule("fc", new Linear(4, 2));

        @Override
        public Var forward(Var x) {
            return fc.forward(F.flatten(F.globalAvgPool2d(layer1.forward(features.forward(x)))));
        }
    }

    @Test
    void namesAndLayoutsFollowPyTorch() {
        Net net = new Net();
        StateDict sd = net.stateDict();
        assertEquals(List.of("features.0.weight", "features.0.bias", "layer1.0.conv1.weight", "layer1.0.bn1.weight",
                "layer1.0.bn1.bias", "layer1.0.bn1.running_mean", "layer1.0.bn1.running_var",
                "layer1.0.bn1.num_batches_tracked", "fc.weight", "fc.bias"), List.copyOf(sd.names()));
        assertArrayEquals(new int[] {4, 3, 3, 3}, sd.get("layer1.0.conv1.weight").shape());
        assertArrayEquals(new int[] {2, 4}, sd.get("fc.weight").shape());
        assertArrayEquals(new int[] {}, sd.get("layer1.0.bn1.num_batches_tracked").shape());
        assertEquals(DType.I64, sd.dtype("layer1.0.bn1.num_batches_tracked"));
        assertArrayEquals(new int[] {6, 2, 3, 3}, new ConvTranspose2d(6, 4, 3, 2, 1, 0, 2, true, 1).weight().shape());
        assertEquals(List.of("features.0.weight", "features.0.bias", "layer1.0.conv1.weight", "layer1.0.bn1.weight",
                "layer1.0.bn1.bias", "fc.weight", "fc.bias"), List.copyOf(net.namedParameters().keySet()));
        assertEquals(3 * 3 * 9 + 3 + 4 * 3 * 9 + 4 + 4 + 8 + 2, net.parameterCount());
    }

    @Test
    void biasesAndNormalizationParametersAreExemptFromWeightDecay() {
        Map<String, Var> p = new Net().namedParameters();
        assertTrue(p.get("features.0.weight").weightDecay());
        assertTrue(p.get("fc.weight").weightDecay());
        assertFalse(p.get("fc.bias").weightDecay());
        assertFalse(p.get("layer1.0.bn1.weight").weightDecay());
        assertFalse(p.get("layer1.0.bn1.bias").weightDecay());
    }

    @Test
    void trainAndEvalReachEveryModuleAndChangeBatchNormAndDropout() {
        Net net = new Net();
        net.eval();
        assertFalse(net.layer1.get(0).children().get("bn1").isTraining());
        Dropout d = new Dropout(0.5f);
        d.eval();
        Var x = Var.constant(Tensor.ones(4, 4));
        assertSame(x, d.forward(x));
        BatchNorm1d bn = new BatchNorm1d(2);
        Tensor in = Tensor.of(new float[] {1, 5, 3, 7}, 2, 2);
        bn.forward(Var.constant(in));
        assertArrayEquals(new float[] {0.2f, 0.6f}, bn.runningMean().toArray(), 1e-6f);
        assertEquals(1f, bn.stateDict().get("num_batches_tracked").at(0));
        bn.eval();
        bn.forward(Var.constant(in));
        assertArrayEquals(new float[] {0.2f, 0.6f}, bn.runningMean().toArray(), 1e-6f);
        assertEquals(1f, bn.stateDict().get("num_batches_tracked").at(0));
    }

    @Test
    void initializeFromASeedIsReproducibleAndPerName() {
        Net a = (Net) new Net().initialize(42), b = (Net) new Net().initialize(42), c = (Net) new Net().initialize(43);
        assertTrue(a.stateDict().contentEquals(b.stateDict()));
        assertFalse(a.stateDict().contentEquals(c.stateDict()));
        // PyTorch's default bound for Linear(4, 2) is 1 / sqrt(4)
        for (float w : a.fc.weight().value().toArray()) {
            assertTrue(Math.abs(w) <= 0.5f);
        }
        assertEquals(1f, a.layer1.get(0).children().get("bn1").stateDict().get("weight").at(0));
    }

    @Test
    void initializersHaveThePublishedSpread() {
        Tensor w = Tensor.zeros(256, 128, 3, 3);
        Init.kaimingNormal(w, 0, Init.Fan.OUT, Init.Nonlinearity.RELU, Init.random(1, "w"));
        assertEquals(Math.sqrt(2.0 / (256 * 9)), std(w), 2e-4);
        Init.xavierUniform(w, 1.0, Init.random(2, "w"));
        assertEquals(Math.sqrt(6.0 / (128 * 9 + 256 * 9)) / Math.sqrt(3), std(w), 2e-4);
        Init.kaimingUniform(w, 0, Init.Fan.IN, Init.Nonlinearity.RELU, Init.random(3, "w"));
        assertEquals(Math.sqrt(2.0 / (128 * 9)), std(w), 2e-4);
        Init.xavierNormal(w, Init.gain(Init.Nonlinearity.TANH, 0), Init.random(4, "w"));
        assertEquals(5.0 / 3 * Math.sqrt(2.0 / (128 * 9 + 256 * 9)), std(w), 2e-4);
    }

    private static double std(Tensor t) {
        double s = 0, s2 = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.at(i);
            s2 += (double) t.at(i) * t.at(i);
        }
        double m = s / t.size();
        return Math.sqrt(s2 / t.size() - m * m);
    }

    @Test
    void stateDictsCopyBetweenModelsAndMismatchesAreAllReported() {
        Net a = (Net) new Net().initialize(1), b = (Net) new Net().initialize(2);
        b.loadStateDict(a.stateDict());
        assertTrue(a.stateDict().contentEquals(b.stateDict()));
        StateDict bad = new StateDict();
        a.stateDict().entries().forEach((k, e) -> {
            if (!k.equals("fc.bias")) {
                bad.put(k, k.equals("fc.weight") ? Tensor.zeros(3, 4) : e.tensor(), e.dtype());
            }
        });
        bad.put("layer1.0.bn1.num_batches_tracked", Tensor.zeros(), DType.F32);
        bad.put("extra.weight", Tensor.zeros(1));
        StateDictMismatchException e = assertThrows(StateDictMismatchException.class, () -> b.loadStateDict(bad, "x.safetensors"));
        assertEquals(4, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains("missing: fc.bias"), e.getMessage());
        assertTrue(e.getMessage().contains("shape of fc.weight: [3, 4] in x.safetensors, [2, 4] in the model"), e.getMessage());
        assertTrue(e.getMessage().contains("dtype of layer1.0.bn1.num_batches_tracked"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected: extra.weight"), e.getMessage());
    }

    @Test
    void summaryReportsShapesParametersAndFlopsPerLayer() {
        Sequential lenet = new Sequential(new Conv2d(1, 6, 5), new Tanh(), new AvgPool2d(2), new Conv2d(6, 16, 5),
                new Tanh(), new AvgPool2d(2), new Flatten(), new Linear(400, 120), new Tanh(), new Linear(120, 84),
                new Tanh(), new Linear(84, 10));
        List<Summary.Row> rows = Summary.rows(lenet, 1, 1, 32, 32);
        assertEquals(12, rows.size());
        assertEquals("0", rows.get(0).name());
        assertArrayEquals(new int[] {1, 6, 28, 28}, rows.get(0).outputShape());
        assertEquals(156, rows.get(0).parameters());
        assertEquals(2L * 6 * 28 * 28 * 25, rows.get(0).flops());
        assertArrayEquals(new int[] {1, 16, 5, 5}, rows.get(5).outputShape());
        assertArrayEquals(new int[] {1, 400}, rows.get(6).outputShape());
        assertEquals(48120, rows.get(7).parameters());
        assertEquals(2L * 400 * 120, rows.get(7).flops());
        assertEquals(61706, lenet.parameterCount());
        String table = Summary.table(lenet, 1, 1, 32, 32);
        assertTrue(table.contains("Conv2d(6, 16, kernel=5)") && table.contains("61,706"), table);
        assertTrue(lenet.isTraining(), "summary restores the mode");
    }

    @Test
    void layerGradientsMatchFiniteDifferences() {
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1);
        GradCheck.of(in -> conv.forward(in[0]), Tensor.uniform(1, -1f, 1f, 2, 2, 5, 5)).verify();
        ConvTranspose2d deconv = new ConvTranspose2d(2, 3, 3, 2, 1, 1, 1, true, 1);
        GradCheck.of(in -> deconv.forward(in[0]), Tensor.uniform(2, -1f, 1f, 1, 2, 3, 3)).verify();
        BatchNorm2d bn = new BatchNorm2d(2);
        GradCheck.of(in -> bn.forward(in[0]), Tensor.uniform(3, -1f, 1f, 3, 2, 2, 2)).verify();
    }

    @Test
    void parameterGradientsReachTheModule() {
        Linear fc = new Linear(3, 2);
        try (Tape tape = Tape.recording()) {
            tape.backward(F.sum(fc.forward(tape.input(Tensor.ones(4, 3)))));
        }
        assertArrayEquals(new float[] {4, 4, 4, 4, 4, 4}, fc.weight().grad().toArray());
        assertArrayEquals(new float[] {4, 4}, fc.bias().grad().toArray());
        fc.zeroGrad();
        assertArrayEquals(new float[] {0, 0}, fc.bias().grad().toArray());
    }
}
