package dev.lanes.zoo.models.cifar;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.optim.Sgd;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The checks every CIFAR model passes (shape, gradient flow, state-dict round trip, eval mode),
 * on small batches: the models' own tests choose inputs and widths that keep them quick.
 */
public final class ModelChecks {
    private ModelChecks() {
    }

    /** Standard-normal images, like normalised CIFAR pixels. */
    public static Tensor images(long seed, ModelInput in, int batch) {
        return Tensor.randn(seed, 1f, in.batchShape(batch));
    }

    public static int[] labels(int batch, int classes) {
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = (3 * i + 1) % classes;
        }
        return y;
    }

    /** The eval-mode output of {@code batch} images: {@code [batch, classes]}, every logit finite. */
    public static float[] assertLogits(Module m, ModelInput in, int batch) {
        m.eval();
        try (Tape t = Tape.inference()) {
            Var out = m.forward(t.input(images(5, in, batch)));
            assertArrayEquals(new int[] {batch, in.classes()}, out.shape(), m + " output shape");
            float[] v = out.value().toArray();
            for (float f : v) {
                assertTrue(Float.isFinite(f), m + ": a logit is not finite");
            }
            return v;
        } finally {
            m.train();
        }
    }

    /**
     * Gradient flow: on a fixed batch every weight gets a finite gradient that is not all zero,
     * and one plain SGD step of rate {@code lr} lowers the training loss (the same dropout masks
     * before and after, from the same tape seed).
     */
    public static void assertOneStepLowersTheLoss(Module m, ModelInput in, int batch, double lr) {
        m.train();
        Tensor x = images(3, in, batch);
        int[] y = labels(batch, in.classes());
        Sgd sgd = new Sgd(m.namedParameters(), lr);
        sgd.zeroGrad();
        float before;
        try (Tape t = Tape.recording(42)) {
            Var loss = F.crossEntropy(m.forward(t.input(x)), y);
            t.backward(loss);
            before = loss.item();
        }
        for (Map.Entry<String, Var> p : m.namedParameters().entrySet()) {
            float[] g = p.getValue().grad().toArray();
            boolean nonZero = false;
            for (float v : g) {
                assertTrue(Float.isFinite(v), "gradient of " + p.getKey() + " is not finite");
                nonZero |= v != 0f;
            }
            if (p.getKey().endsWith("weight")) {
                assertTrue(nonZero, "no gradient reaches " + p.getKey());
            }
        }
        sgd.step();
        float after;
        try (Tape t = Tape.recording(42)) {
            after = F.crossEntropy(m.forward(t.input(x)), y).item();
        }
        assertTrue(Float.isFinite(before) && after < before, m + ": loss " + before + " -> " + after + " after one step");
    }

    /**
     * A state dict saved as safetensors by one model (with trained running statistics) loads into
     * another built with another seed and gives exactly the same eval-mode outputs.
     */
    public static void assertSafetensorsRoundTrip(Supplier<Module> seed11, Supplier<Module> seed12, ModelInput in)
            throws Exception {
        Module a = seed11.get(), b = seed12.get();
        Tensor x = images(9, in, 2);
        a.train();
        try (Tape t = Tape.recording(1)) {
            a.forward(t.input(images(8, in, 2)));             // moves the running statistics off their start
        }
        assertFalse(a.stateDict().contentEquals(b.stateDict()), "the two seeds must give different models");
        Path f = Files.createTempFile("zoo", ".safetensors");
        try {
            Safetensors.save(a, f);
            Safetensors.load(b, f);
        } finally {
            Files.deleteIfExists(f);
        }
        assertTrue(a.stateDict().contentEquals(b.stateDict()));
        a.eval();
        b.eval();
        try (Tape t = Tape.inference()) {
            assertArrayEquals(a.forward(t.input(x)).value().toArray(), b.forward(t.input(x)).value().toArray());
        }
    }

    /**
     * Eval mode uses the running statistics and no dropout: the output of an image does not depend
     * on the rest of the batch nor on the tape's seed, and evaluation leaves every buffer as it
     * was. In training mode the batch (batch norm) or the seed (dropout) does change it, so the
     * check can fail.
     */
    public static void assertEvalUsesRunningStatsAndNoDropout(Module m, ModelInput in, boolean hasBatchNorm,
                                                              boolean hasDropout) {
        Tensor two = images(21, in, 2);
        Tensor first = Tensor.zeros(in.batchShape(1));
        System.arraycopy(two.data(), two.offset(), first.data(), first.offset(), first.size());
        m.train();
        try (Tape t = Tape.recording(1)) {
            m.forward(t.input(images(22, in, 2)));            // running statistics away from 0 and 1
        }
        if (hasBatchNorm) {
            assertFalse(close(out(m, first, 1), row0(out(m, two, 1), in.classes()), 1e-3f),
                    "in training mode batch norm uses the batch's statistics");
        }
        if (hasDropout) {
            assertFalse(close(out(m, two, 1), out(m, two, 2), 1e-3f), "in training mode dropout depends on the seed");
        }
        m.eval();
        Map<String, float[]> buffers = snapshot(m);
        float[] alone = out(m, first, 1);
        float[] inBatch = out(m, two, 1);
        assertTrue(close(alone, row0(inBatch, in.classes()), 1e-4f), "eval output depends on the rest of the batch");
        assertArrayEquals(inBatch, out(m, two, 2), "eval output depends on the tape's seed (dropout?)");
        snapshot(m).forEach((k, v) -> assertArrayEquals(buffers.get(k), v, "eval changed buffer " + k));
        m.train();
    }

    private static float[] out(Module m, Tensor x, long seed) {
        try (Tape t = Tape.recording(seed)) {
            return m.forward(t.input(x)).value().toArray();
        }
    }

    private static float[] row0(float[] logits, int classes) {
        return java.util.Arrays.copyOf(logits, classes);
    }

    private static boolean close(float[] a, float[] b, float tol) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol * (1 + Math.abs(b[i]))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, float[]> snapshot(Module m) {
        Map<String, float[]> s = new LinkedHashMap<>();
        m.namedBuffers().forEach((k, v) -> s.put(k, v.toArray()));
        return s;
    }
}
