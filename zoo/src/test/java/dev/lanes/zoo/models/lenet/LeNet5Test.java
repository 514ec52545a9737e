package dev.lanes.zoo.models.lenet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Summary;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.SyntheticDigits;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.io.StateDict;
import dev.lanes.nn.optim.Adam;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class LeNet5Test {
    private static final ModelInput MNIST32 = new ModelInput(1, 32, 32, 10);

    @Test
    void hasTheNotebooksShapesAndPytorchNames() {
        Module m = Zoo.model("lenet5").create(MNIST32, 1);
        Map<String, Var> p = m.namedParameters();
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
                "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"), List.copyOf(p.keySet()));
        assertArrayEquals(new int[] {6, 1, 5, 5}, p.get("conv1.weight").shape());
        assertArrayEquals(new int[] {16, 6, 5, 5}, p.get("conv2.weight").shape());
        assertArrayEquals(new int[] {120, 400}, p.get("fc1.weight").shape());
        assertArrayEquals(new int[] {84, 120}, p.get("fc2.weight").shape());
        assertArrayEquals(new int[] {10, 84}, p.get("fc3.weight").shape());
        // 156 + 2,416 + 48,120 + 10,164 + 850 (the PyTorch peer's count, RESULTS.md section 4)
        assertEquals(61_706, m.parameterCount());
        assertEquals(61_706, Zoo.model("lenet5-relu").parameterCount());
    }

    @Test
    void summaryListsEveryLayerWithShapesAndFlops() {
        Module m = Zoo.model("lenet5").create(MNIST32, 1);
        List<Summary.Row> rows = Summary.rows(m, 1, 1, 32, 32);
        assertEquals(List.of("conv1", "act1", "pool1", "conv2", "act2", "pool2", "flatten", "fc1", "act3", "fc2",
                "act4", "fc3"), rows.stream().map(Summary.Row::name).toList());
        assertArrayEquals(new int[] {1, 6, 28, 28}, rows.get(0).outputShape());
        assertArrayEquals(new int[] {1, 16, 5, 5}, rows.get(5).outputShape());
        assertArrayEquals(new int[] {1, 10}, rows.get(11).outputShape());
        // conv1: 6*28*28 outputs x 25 multiply-adds = 117,600 MACs; conv2: 16*10*10 x 150 = 240,000 MACs
        assertEquals(2 * 117_600, rows.get(0).flops(), 2 * 6 * 28 * 28, "conv1 FLOPs (bias adds may count)");
        assertEquals(2 * 240_000, rows.get(3).flops(), 2 * 16 * 10 * 10, "conv2 FLOPs");
        assertEquals(2 * 48_000, rows.get(7).flops(), 2 * 120, "fc1 FLOPs");
    }

    @Test
    void otherInputSizesChangeOnlyFc1() {
        Module m = Zoo.model("lenet5-relu").create(new ModelInput(3, 28, 28, 7), 1);
        assertArrayEquals(new int[] {120, 256}, m.namedParameters().get("fc1.weight").shape());
        assertArrayEquals(new int[] {6, 3, 5, 5}, m.namedParameters().get("conv1.weight").shape());
        try (Tape t = Tape.inference()) {
            assertArrayEquals(new int[] {2, 7}, m.forward(t.input(Tensor.zeros(2, 3, 28, 28))).shape());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LeNet5(new ModelInput(1, 12, 12, 10), LeNet5.Variant.CLASSIC));
        assertTrue(e.getMessage().contains("12x12"), e.getMessage());
    }

    @Test
    void theSameSeedGivesTheSameWeightsAndAnotherSeedOthers() {
        StateDict a = Zoo.model("lenet5").create(MNIST32, 7).stateDict();
        StateDict b = Zoo.model("lenet5").create(MNIST32, 7).stateDict();
        StateDict c = Zoo.model("lenet5").create(MNIST32, 8).stateDict();
        assertTrue(a.contentEquals(b));
        assertFalse(a.contentEquals(c));
    }

    @Test
    void bothVariantsLowerTheLossOnAFixedBatch() {
        for (String name : List.of("lenet5", "lenet5-relu")) {
            Module m = Zoo.model(name).create(MNIST32, 3);
            Dataset digits = SyntheticDigits.generate(5, 0, 16);
            Tensor x = Tensor.zeros(16, 1, 32, 32);
            int[] y = new int[16];
            float[] img = new float[28 * 28];
            for (int i = 0; i < y.length; i++) {
                y[i] = digits.read(i, img, 0);
                for (int r = 0; r < 28; r++) {
                    System.arraycopy(img, r * 28, x.data(), i * 1024 + (r + 2) * 32 + 2, 28);
                }
            }
            Adam opt = new Adam(m.namedParameters(), 0.003);
            float first = 0, last = 0;
            for (int s = 0; s < 30; s++) {
                opt.zeroGrad();
                try (Tape t = Tape.recording(s)) {
                    Var loss = F.crossEntropy(m.forward(t.input(x)), y);
                    t.backward(loss);
                    last = loss.item();
                    first = s == 0 ? last : first;
                }
                opt.step();
            }
            assertTrue(last < first * 0.5f, name + ": loss " + first + " -> " + last);
        }
    }

    @Test
    void aStateDictRoundTripsThroughSafetensorsAndGivesTheSameOutputs() throws Exception {
        Module a = Zoo.model("lenet5").create(MNIST32, 11);
        Module b = Zoo.model("lenet5").create(MNIST32, 12);
        java.nio.file.Path f = java.nio.file.Files.createTempFile("lenet", ".safetensors");
        try {
            Safetensors.save(a, f);
            Safetensors.load(b, f);
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
        a.eval();
        b.eval();
        Tensor x = Tensor.uniform(9, 0f, 1f, 3, 1, 32, 32);
        try (Tape t = Tape.inference()) {
            assertArrayEquals(a.forward(t.input(x)).value().toArray(), b.forward(t.input(x)).value().toArray());
        }
    }
}
