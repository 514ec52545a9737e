package dev.lanes.zoo.models.cifar;

import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Normalize;
import dev.lanes.nn.data.Transform;
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
