package dev.lanes.zoo.models.kan;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.SyntheticDigits;
import dev.lanes.nn.optim.Adam;
import dev.lanes.nn.train.CustomLoss;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

public class KanModelsTest {
    private static final ModelInput MNIST = new ModelInput(1, 28, 28, 10);

    /** {@code n} synthetic digits as a [n, 1, 28, 28] batch in [0, 1]. */
    static Tensor digits(int n, int[] labels) {
        Dataset d = SyntheticDigits.generate(5, 0, n);
        Tensor x = Tensor.zeros(n, 1, 28, 28);
        float[] img = new float[28 * 28];
        for (int i = 0; i < n; i++) {
            labels[i] = d.read(i, img, 0);
            System.arraycopy(img, 0, x.data(), i * 784, 784);
        }
        return x;
    }

    @Test
    void kanAndItsMlpHaveTheSameSizeAndTheExpectedShapes() {
        Module kan = Zoo.model("kan").create(MNIST, 1);
        // (784 x 64 + 64 x 10) edges x (base weight + 8 spline coefficients + spline scaler)
        assertEquals((784 * 64 + 64 * 10) * 10, kan.parameterCount());
        assertArrayEquals(new int[] {64, 784, 8}, kan.namedParameters().get("layers.0.spline_weight").shape());
        assertArrayEquals(new int[] {784, 12}, kan.namedBuffers().get("layers.0.grid").shape());
        Module mlp = Zoo.model("mlp").create(MNIST, 1);
        assertEquals(784 * 640 + 640 + 640 * 10 + 10, mlp.parameterCount());
        try (Tape t = Tape.inference()) {
            assertArrayEquals(new int[] {3, 10}, kan.forward(t.input(Tensor.zeros(3, 1, 28, 28))).shape());
        }
    }

    @Test
    void convolutionalKansAndTheirCnnHaveTheExpectedSizes() {
        long kanConvs = 8 * 9 * 10 + 16 * 72 * 10;                  // KAN convolutions: 10 parameters per edge
        assertEquals(kanConvs + 784 * 10 + 10, Zoo.model("convkan-mlp").create(MNIST, 1).parameterCount());
        assertEquals(kanConvs + 784 * 10 * 10, Zoo.model("convkan-kan").create(MNIST, 1).parameterCount());
        assertEquals(kanConvs + 784 * 10 + 10 + 2 * (8 + 16), Zoo.model("convkan-mlp-bn").create(MNIST, 1).parameterCount());
        assertEquals(160 + 4640 + 1568 * 10 + 10, Zoo.model("cnn-small").create(MNIST, 1).parameterCount());
        try (Tape t = Tape.inference()) {
            for (String name : List.of("convkan-kan", "convkan-mlp", "convkan-kan-bn", "convkan-mlp-bn", "cnn-small")) {
                Module m = Zoo.model(name).create(MNIST, 2);
                m.eval();
                assertArrayEquals(new int[] {2, 10}, m.forward(t.input(Tensor.zeros(2, 1, 28, 28))).shape(), name);
            }
        }
    }

    @Test
    void everyModelLowersTheLossOnAFixedBatch() {
        int[] y = new int[12];
        Tensor x = digits(12, y);
        for (String name : List.of("kan", "mlp", "convkan-kan", "convkan-mlp", "convkan-mlp-bn", "cnn-small")) {
            Module m = Zoo.model(name).create(MNIST, 3);
            Adam opt = new Adam(m.namedParameters(), 3e-3);
            float first = 0, last = 0;
            for (int s = 0; s < 6; s++) {
                opt.zeroGrad();
                try (Tape t = Tape.recording(s)) {
                    Var loss = F.crossEntropy(m.forward(t.input(x)), y);
                    t.backward(loss);
                    last = loss.item();
                    first = s == 0 ? last : first;
                }
                opt.step();
            }
            assertTrue(last < first, name + ": loss " + first + " -> " + last);
        }
    }

    @Test
    void regularizedKanAddsAPositivePenaltyThatTrains() {
        int[] y = new int[8];
        Tensor x = digits(8, y);
        Kan plain = new Kan(new int[] {784, 6, 10}, 5, 3, 0f, 1f, 0f, 2f);
        Kan reg = new Kan(new int[] {784, 6, 10}, 5, 3, 0f, 1f, 0.01f, 2f);
        plain.initialize(4);
        reg.initialize(4);
        try (Tape t = Tape.recording(1)) {
            CustomLoss.LossAndScores a = plain.lossAndScores(t.input(x), y);
            CustomLoss.LossAndScores b = reg.lossAndScores(t.input(x), y);
            assertArrayEquals(a.scores().value().toArray(), b.scores().value().toArray());
            assertTrue(b.loss().item() > a.loss().item(), a.loss().item() + " vs " + b.loss().item());
            t.backward(b.loss());
        }
        assertTrue(reg.layer(0).splineScaler().grad().toArray().length > 0);
        double g = 0;
        for (float v : reg.layer(0).splineScaler().grad().toArray()) {
            g += Math.abs(v);
        }
        assertTrue(g > 0, "the penalty reaches the spline scalers");
    }

    @Test
    void gridExtensionKeepsTheNetworksOutputs() {
        int[] y = new int[200];
        Tensor x = digits(200, y);
        Kan coarse = new Kan(784, 4, 10);
        coarse.initialize(5);
        Kan fine = coarse.extended(8, x);
        assertEquals(8, fine.layer(0).gridSize());
        float[] a = coarse.forward(Var.constant(x)).value().toArray(), b = fine.forward(Var.constant(x)).value().toArray();
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        assertTrue(worst < 0.05, "largest change of a logit " + worst);
    }

    /** Weights after a few Adam steps of {@code net} on {@code x}, with the kernels on {@code threads} threads. */
    public static float[] weightsAfterSteps(java.util.function.Supplier<Module> net, Tensor x, int[] y, int threads) {
        int before = dev.lanes.tensor.Parallel.threads();
        try {
            dev.lanes.tensor.Parallel.setThreads(threads);
            Module m = net.get();
            Adam opt = new Adam(m.namedParameters(), 3e-3);
            for (int s = 0; s < 3; s++) {
                opt.zeroGrad();
                try (Tape t = Tape.recording(s)) {
                    Var loss = m instanceof CustomLoss c ? c.lossAndScores(t.input(x), y).loss()
                            : F.crossEntropy(m.forward(t.input(x)), y);
                    t.backward(loss);
                }
                opt.step();
            }
            java.util.List<Float> all = new java.util.ArrayList<>();
            for (Var p : m.parameters()) {
                for (float v : p.value().toArray()) {
                    all.add(v);
                }
            }
            float[] out = new float[all.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = all.get(i);
            }
            return out;
        } finally {
            dev.lanes.tensor.Parallel.setThreads(before);
        }
    }

    @Test
    void trainingGivesBitIdenticalWeightsOnOneAndThreeThreads() {
        int[] y = new int[40];
        Tensor x = digits(40, y);
        for (String name : List.of("kan", "convkan-kan-bn")) {
            float[] one = weightsAfterSteps(() -> Zoo.model(name).create(MNIST, 7), x, y, 1);
            float[] three = weightsAfterSteps(() -> Zoo.model(name).create(MNIST, 7), x, y, 3);
            assertArrayEquals(one, three, name);
        }
    }
}
