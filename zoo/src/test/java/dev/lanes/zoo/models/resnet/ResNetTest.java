package dev.lanes.zoo.models.resnet;

import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.cifar.ModelChecks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ResNetTest {
    private static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);
    /** Small maps keep the gradient tests quick; the layout does not depend on the size. */
    private static final ModelInput SMALL = new ModelInput(3, 16, 16, 10);
    private static final ModelInput TINY = new ModelInput(3, 8, 8, 10);

    /**
     * The paper's counts (ResNet-20 0.27M, 32 0.46M, 44 0.66M, 56 0.85M, 110 1.7M), derived layer
     * by layer: conv1 432 + bn1 32; per block two conv 3x3 without bias and two BN (2 x 9 x c_in x c
     * + 4c); fc 64 x 10 + 10. ResNet-20 with option A: 432 + 32 + 14,016 + 51,072 + 203,520 + 650 =
     * 269,722. Option B adds two projections: 16 x 32 + 64 and 32 x 64 + 128 = 2,752.
     */
    @Test
    void cifarResNetsHaveThePapersParameterCounts() {
        Map<String, Long> expected = Map.of("resnet20", 269_722L, "resnet32", 464_154L, "resnet44", 658_586L,
                "resnet56", 853_018L, "resnet110", 1_727_962L);
        expected.forEach((name, n) -> {
            assertEquals(n, Zoo.model(name).create(CIFAR, 0).parameterCount(), name);
            assertEquals(n + 2_752, Zoo.model(name + "-b").create(CIFAR, 0).parameterCount(), name + "-b");
        });
    }

    /** torchvision's resnet18 and resnet34 (1000 classes, 224x224 stem) have 11,689,512 and 21,797,672 parameters. */
    @Test
    void resNet18And34MatchTorchvisionAndTheCifarStemSwapsTheFirstConv() {
        ModelInput imagenet = new ModelInput(3, 224, 224, 1000);
        assertEquals(11_689_512, new ResNet(18, ResNet.Stem.IMAGENET, imagenet).parameterCount());
        assertEquals(21_797_672, new ResNet(34, ResNet.Stem.IMAGENET, imagenet).parameterCount());
        // CIFAR: conv1 3x3 (1,728 weights instead of 9,408), fc 512 x 10 + 10 instead of 512 x 1000 + 1000
        long cifarDelta = 9_408 - 1_728 + 513_000 - 5_130;
        assertEquals(11_689_512 - cifarDelta, Zoo.model("resnet18").parameterCount());
        assertEquals(21_797_672 - cifarDelta, Zoo.model("resnet34").parameterCount());
        assertThrows(IllegalArgumentException.class, () -> new ResNet(50, ResNet.Stem.CIFAR, CIFAR));
        assertThrows(IllegalArgumentException.class, () -> new ResNetCifar(21, Shortcut.A, CIFAR));
    }

    @Test
    void parametersAndBuffersHaveTorchvisionNames() {
        Module a = Zoo.model("resnet20").create(CIFAR, 0);
        List<String> names = List.copyOf(a.stateDict().names());
        assertEquals(List.of("conv1.weight", "bn1.weight", "bn1.bias", "bn1.running_mean", "bn1.running_var",
                "bn1.num_batches_tracked", "layer1.0.conv1.weight", "layer1.0.bn1.weight"), names.subList(0, 8));
        assertEquals(List.of("fc.weight", "fc.bias"), names.subList(names.size() - 2, names.size()));
        assertTrue(names.contains("layer3.2.bn2.running_var"));
        assertFalse(names.stream().anyMatch(n -> n.contains("downsample")), "option A has no projection");
        Map<String, Var> b = Zoo.model("resnet20-b").create(CIFAR, 0).namedParameters();
        assertArrayEquals(new int[] {32, 16, 1, 1}, b.get("layer2.0.downsample.0.weight").shape());
        assertArrayEquals(new int[] {64}, b.get("layer3.0.downsample.1.weight").shape());
        assertFalse(b.containsKey("layer2.1.downsample.0.weight"), "only where the shape changes");
        assertArrayEquals(new int[] {64, 3, 7, 7},
                new ResNet(34, ResNet.Stem.IMAGENET, CIFAR).namedParameters().get("conv1.weight").shape());
    }

    /** Option A: the shortcut is x[:, :, ::2, ::2] with 8 zero channels on either side (16 to 32 channels). */
    @Test
    void optionAShortcutSubsamplesAndPadsWithZeroChannels() {
        BasicBlock block = new BasicBlock(16, 32, 2, Shortcut.A);
        block.namedParameters().forEach((k, p) -> {
            if (k.startsWith("conv")) {
                p.value().fill(0f);              // the residual branch gives BN(0) = 0, leaving relu(shortcut)
            }
        });
        block.eval();
        Tensor x = Tensor.randn(4, 1f, 2, 16, 6, 6);
        float[] y;
        try (Tape t = Tape.inference()) {
            Var out = block.forward(t.input(x));
            assertArrayEquals(new int[] {2, 32, 3, 3}, out.shape());
            y = out.value().toArray();
        }
        float[] xs = x.toArray();
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < 32; c++) {
                for (int i = 0; i < 3; i++) {
                    for (int j = 0; j < 3; j++) {
                        float want = c < 8 || c >= 24 ? 0f
                                : Math.max(0f, xs[((n * 16 + c - 8) * 6 + 2 * i) * 6 + 2 * j]);
                        assertEquals(want, y[((n * 32 + c) * 3 + i) * 3 + j], 1e-6f, "n " + n + " c " + c);
                    }
                }
            }
        }
    }

    @Test
    void outputsOneLogitPerClass() {
        ModelChecks.assertLogits(Zoo.model("resnet20").create(CIFAR, 1), CIFAR, 2);
        ModelChecks.assertLogits(Zoo.model("resnet18").create(TINY, 1), TINY, 2);
        ModelChecks.assertLogits(new ResNet(34, ResNet.Stem.IMAGENET, new ModelInput(3, 32, 32, 7)).initialize(1),
                new ModelInput(3, 32, 32, 7), 1);
    }

    /**
     * Gradient flow through every layer. The blocks start as the identity, where the gradient
     * stops at their last batch norm's scale (see the next test); the scales are set to 1 first,
     * as a step of training makes them non-zero.
     */
    @Test
    void oneStepLowersTheLossWithEitherShortcut() {
        ModelChecks.assertOneStepLowersTheLoss(residualsOn(Zoo.model("resnet20").create(SMALL, 2)), SMALL, 4, 0.05);
        ModelChecks.assertOneStepLowersTheLoss(residualsOn(Zoo.model("resnet20-b").create(SMALL, 2)), SMALL, 4, 0.05);
        ModelChecks.assertOneStepLowersTheLoss(residualsOn(Zoo.model("resnet18").create(TINY, 2)), TINY, 2, 0.05);
    }

    private static Module residualsOn(Module m) {
        m.namedParameters().forEach((name, p) -> {
            if (name.endsWith("bn2.weight")) {
                p.value().fill(1f);
            }
        });
        return m;
    }

    /**
     * Zero gamma: the last batch norm of every block starts with scale 0, so a deep net starts as
     * a shallow one and its first loss is near ln 10 = 2.30, not 3.8 as ResNet-110's was with
     * scale 1 (it then diverged during the warm-up of cifar-quick). One step gives the scales a
     * gradient, so the blocks do not stay the identity.
     */
    @Test
    void everyResidualBlockStartsAsTheIdentity() {
        Module m = Zoo.model("resnet110").create(CIFAR, 1);
        int blocks = 0;
        for (Map.Entry<String, Var> p : m.namedParameters().entrySet()) {
            if (p.getKey().endsWith("bn2.weight")) {
                blocks++;
                for (float v : p.getValue().value().toArray()) {
                    assertEquals(0f, v, p.getKey());
                }
            } else if (p.getKey().endsWith("bn1.weight")) {
                assertEquals(1f, p.getValue().value().toArray()[0], p.getKey());
            }
        }
        assertEquals(54, blocks);
        Tensor x = ModelChecks.images(5, CIFAR, 4);
        int[] y = ModelChecks.labels(4, 10);
        try (Tape t = Tape.recording(1)) {
            Var loss = dev.lanes.nn.F.crossEntropy(m.forward(t.input(x)), y);
            assertEquals(Math.log(10), loss.item(), 0.3, "the first loss of ResNet-110");
            t.backward(loss);
        }
        Var scale = m.namedParameters().get("layer3.17.bn2.weight");
        boolean moved = false;
        for (float g : scale.grad().toArray()) {
            moved |= g != 0f;
        }
        assertTrue(moved, "the zero scales get a gradient");
        Module b = Zoo.model("resnet18").create(TINY, 1);
        assertEquals(0f, b.namedParameters().get("layer4.1.bn2.weight").value().toArray()[0], "ResNet-18 too");
    }

    @Test
    void aStateDictRoundTripsThroughSafetensors() throws Exception {
        ModelChecks.assertSafetensorsRoundTrip(() -> Zoo.model("resnet20-b").create(SMALL, 11),
                () -> Zoo.model("resnet20-b").create(SMALL, 12), SMALL);
    }

    @Test
    void evalModeUsesRunningStatistics() {
        ModelChecks.assertEvalUsesRunningStatsAndNoDropout(Zoo.model("resnet20").create(SMALL, 3), SMALL, true, false);
    }
}
