package dev.lanes.zoo.models.cifar;

import dev.lanes.nn.BufferPool;
import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Normalize;
import dev.lanes.nn.data.Transform;
import dev.lanes.nn.optim.LrSchedule;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CifarModelsTest {
    private static final List<String> MODELS = List.of("resnet20", "resnet32", "resnet44", "resnet56", "resnet110",
            "resnet20-b", "resnet32-b", "resnet44-b", "resnet56-b", "resnet110-b", "resnet18", "resnet34", "vgg11",
            "vgg13", "vgg16", "vgg11-bn", "vgg13-bn", "vgg16-bn", "alexnet", "googlenet", "densenet-bc-100",
            "densenet-bc-40");

    @Test
    void everyModelIsRegisteredForCifar10WithTheCifarRecipes() {
        for (String name : MODELS) {
            ModelSpec s = Zoo.model(name);
            assertEquals(Datasets.CIFAR10, s.dataset(), name);
            boolean plain = name.equals("alexnet") || name.matches("vgg\\d+");
            assertEquals(plain ? CifarModels.PLAIN_FAST : CifarModels.FAST, s.recipeFor(Datasets.CIFAR10), name);
            assertEquals(plain ? CifarModels.PLAIN_QUICK : CifarModels.QUICK, s.recipeFor(Datasets.SYNTHETIC_CIFAR), name);
            assertEquals(new ModelInput(3, 32, 32, 10), s.naturalInput(), name);
        }
    }

    @Test
    void recipesAugmentNormaliseAndUseNesterovSgdWithWeightDecay() {
        for (String name : List.of(CifarModels.FULL, CifarModels.FAST, CifarModels.QUICK, CifarModels.PLAIN_FULL,
                CifarModels.PLAIN_FAST, CifarModels.PLAIN_QUICK)) {
            Recipe r = Zoo.recipe(name);
            assertEquals("sgd", r.optimizer(), name);
            assertEquals(0.9, r.momentum(), name);
            assertTrue(r.nesterov(), name);
            assertEquals(5e-4, r.weightDecay(), name);
            assertEquals(128, r.batchSize(), name);
            List<String> train = Arrays.stream(r.trainTransforms(Datasets.CIFAR10)).map(t -> t.getClass().getSimpleName())
                    .toList();
            assertEquals(List.of("RandomCrop", "HorizontalFlip", "Normalize"), train, name);
            Transform[] test = r.testTransforms(Datasets.CIFAR10);
            assertEquals(1, test.length, name + ": tests are only normalised");
            assertSame(Normalize.CIFAR10, test[0], name + ": per-channel mean and std of CIFAR-10");
        }
        assertEquals(0.1, Zoo.recipe(CifarModels.FAST).lr());
        assertEquals(0.02, Zoo.recipe(CifarModels.PLAIN_FAST).lr());
        assertEquals(Zoo.recipe(CifarModels.QUICK).toBuilder().name("x").lr(0.02).description("").build(),
                Zoo.recipe(CifarModels.PLAIN_QUICK).toBuilder().name("x").description("").build(), "only the rate differs");
        assertEquals("cosine", Zoo.recipe(CifarModels.FULL).schedule());
        assertEquals("one-cycle", Zoo.recipe(CifarModels.FAST).schedule());
        assertEquals(0.1, Zoo.recipe(CifarModels.FAST).labelSmoothing());
        assertEquals(10_000, Zoo.recipe(CifarModels.QUICK).limitTrain());
        assertEquals(2_000, Zoo.recipe(CifarModels.QUICK).limitTest());
    }

    /**
     * The rate climbs before it reaches its peak: cifar-full over the first epoch (He et al. warm
     * ResNet-110 up for about 400 steps), cifar-quick over its first epoch of 79 steps (ResNet-18
     * diverged when one-cycle climbed over its default 30%), also when a run is cut to 1 epoch.
     */
    @Test
    void recipesWarmTheLearningRateUp() {
        LrSchedule full = Zoo.recipe(CifarModels.FULL).schedule(391);
        assertEquals(0.1 / 391, full.lr(0), 1e-9);
        assertEquals(0.1 * 200 / 391, full.lr(199), 1e-9);
        assertEquals(0.1, full.lr(390), 1e-9);
        assertTrue(full.lr(391 * 100) < 0.06 && full.lr(391 * 100) > 0.04, "cosine halfway");
        Recipe quick = Zoo.recipe(CifarModels.QUICK);
        LrSchedule q = quick.schedule(79);
        assertEquals(0.1 / 25, q.lr(0), 1e-9);
        assertTrue(q.lr(60) < 0.1 * 0.95, "still climbing at step 60: " + q.lr(60));
        assertEquals(0.1, q.lr(78), 1e-9, "the peak at the end of the first epoch");
        assertTrue(q.lr(157) < 1e-4, "down at the end: " + q.lr(157));
        LrSchedule cut = quick.toBuilder().epochs(1).build().schedule(79);
        assertEquals(0.1, cut.lr(38), 1e-3, "cut to 1 epoch: the climb takes half the run");
        assertTrue(quick.summary().contains("one-cycle (warm-up 1 epoch)"), quick.summary());
        assertEquals(0.1, Zoo.recipe(CifarModels.FAST).schedule(391).lr(Math.round(0.3 * 30 * 391) - 1), 1e-9,
                "cifar-fast keeps one-cycle's 30%");
    }

    /** Weight decay applies to convolution and linear weights, not to batch-norm parameters or biases. */
    @Test
    void weightDecaySkipsBatchNormParametersAndBiases() {
        Module m = Zoo.model("resnet20-b").create(new ModelInput(3, 32, 32, 10), 0);
        for (Map.Entry<String, Var> p : m.namedParameters().entrySet()) {
            String n = p.getKey();
            boolean norm = n.startsWith("bn1.") || n.contains(".bn") || n.contains("downsample.1.");
            assertEquals(!norm && n.endsWith("weight"), p.getValue().weightDecay(), n);
        }
    }

    /** Convolutions start from He et al.'s normal (std sqrt(2 / fan_out)) with zero biases, as in torchvision. */
    @Test
    void convolutionsStartFromHeInitialization() {
        ModelInput in = new ModelInput(3, 32, 32, 10);
        Map<String, Var> resnet = Zoo.model("resnet20").create(in, 4).namedParameters();
        assertStd(Math.sqrt(2.0 / (64 * 9)), resnet.get("layer3.1.conv2.weight").value().toArray());
        Map<String, Var> vgg = Zoo.model("vgg11").create(in, 4).namedParameters();
        assertStd(Math.sqrt(2.0 / (512 * 9)), vgg.get("features.16.weight").value().toArray());
        for (float b : vgg.get("features.16.bias").value().toArray()) {
            assertEquals(0f, b);
        }
    }

    /** Without batch norm the hidden linear layers start from He as well; the output layer keeps PyTorch's default. */
    @Test
    void plainNetworksAlsoStartTheirHiddenLinearLayersFromHe() {
        ModelInput in = new ModelInput(3, 32, 32, 10);
        double pytorch = 1 / Math.sqrt(3.0 * 512);
        Map<String, Var> plain = Zoo.model("vgg11").create(in, 4).namedParameters();
        assertStd(Math.sqrt(2.0 / 512), plain.get("classifier.4.weight").value().toArray());
        assertStd(pytorch, plain.get("classifier.6.weight").value().toArray());
        Map<String, Var> bn = Zoo.model("vgg11-bn").create(in, 4).namedParameters();
        assertStd(pytorch, bn.get("classifier.4.weight").value().toArray());
        Map<String, Var> alex = Zoo.model("alexnet").create(in, 4).namedParameters();
        assertStd(Math.sqrt(2.0 / 4096), alex.get("classifier.1.weight").value().toArray());
        assertStd(Math.sqrt(2.0 / (256 * 9)), alex.get("features.12.weight").value().toArray());
    }

    /**
     * The memory a training step holds: the activations of the forward pass, plus the gradients
     * in flight during the backward pass (not one per op), and after a short last batch the pool
     * keeps that batch's arrays only. Before the tape gave gradients back and the pool dropped
     * arrays of an old shape, ResNet-20's step borrowed twice its forward's bytes, and a short
     * batch added its own set beside the full one's (GoogLeNet and ResNet-110 ran out of heap).
     */
    @Test
    void aTrainingStepHoldsItsActivationsAndLittleMore() {
        ModelInput in = new ModelInput(3, 32, 32, 10);
        Module m = Zoo.model("resnet20").create(in, 1);
        BufferPool pool = new BufferPool();
        long[] forwardAndStep = step(m, pool, 4);
        long forward = forwardAndStep[0], step = forwardAndStep[1];
        assertTrue(forward > 4L * 4 * 16 * 32 * 32 * 19, "forward borrowed only " + forward + " bytes");
        assertTrue(step < 1.2 * forward, "a step borrowed " + step + " bytes, its forward " + forward);
        long held = pool.freeBytes();
        assertEquals(pool.allocatedBytes(), held);
        step(m, pool, 2);
        BufferPool fresh = new BufferPool();
        long shortAlone = step(m, fresh, 2)[1];
        assertEquals(shortAlone, pool.freeBytes(), "after a short batch the pool holds what a fresh pool would");
        assertTrue(shortAlone < 0.6 * held, shortAlone + " vs " + held);
        long before = pool.allocatedBytes();
        step(m, pool, 2);
        assertEquals(before, pool.allocatedBytes(), "a second step of the same batch allocates nothing");
    }

    /** Bytes the pool created during the forward pass and during the whole step. */
    private static long[] step(Module m, BufferPool pool, int batch) {
        long start = pool.allocatedBytes(), forward;
        try (Tape t = Tape.recording(pool, 1)) {
            Var out = m.forward(t.input(Tensor.randn(3, 1f, batch, 3, 32, 32)));
            Var loss = F.crossEntropy(out, new int[batch]);
            forward = pool.allocatedBytes() - start;
            t.backward(loss);
        }
        return new long[] {forward, pool.allocatedBytes() - start};
    }

    private static void assertStd(double want, float[] w) {
        double sum = 0, sq = 0;
        for (float v : w) {
            sum += v;
            sq += (double) v * v;
        }
        double mean = sum / w.length, std = Math.sqrt(sq / w.length - mean * mean);
        assertEquals(0, mean, want * 0.1, "mean");
        assertEquals(want, std, want * 0.03, "std of " + w.length + " weights");
    }
}
