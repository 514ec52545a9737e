package dev.lanes.zoo.models.vgg;

import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.cifar.ModelChecks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class VggTest {
    private static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);

    /**
     * Convolutions 3x3 with bias (9 c_in c + c each), BN 2c each, classifier 512-512-512-10:
     * 262,656 + 262,656 + 5,130 = 530,442. VGG-11: 9,220,480 in the convolutions (torchvision's
     * vgg11 features) + 530,442 = 9,750,922; BN adds 2 x 2,752 channels.
     */
    @Test
    void hasTheParameterCountsOfConfigurationsABAndD() {
        Map<String, Long> expected = Map.of("vgg11", 9_750_922L, "vgg13", 9_935_434L, "vgg16", 15_245_130L,
                "vgg11-bn", 9_756_426L, "vgg13-bn", 9_941_322L, "vgg16-bn", 15_253_578L);
        expected.forEach((name, n) -> assertEquals(n, Zoo.model(name).parameterCount(), name));
    }

    @Test
    void namesFollowTorchvision() {
        Map<String, Var> p = Zoo.model("vgg16-bn").create(CIFAR, 0).namedParameters();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.1.weight", "features.1.bias",
                "features.3.weight"), List.copyOf(p.keySet()).subList(0, 5));
        assertArrayEquals(new int[] {512, 512}, p.get("classifier.1.weight").shape());
        assertArrayEquals(new int[] {10, 512}, p.get("classifier.6.weight").shape());
        Map<String, Var> plain = Zoo.model("vgg11").create(CIFAR, 0).namedParameters();
        assertArrayEquals(new int[] {128, 64, 3, 3}, plain.get("features.3.weight").shape(), "conv, relu, pool, conv");
        assertThrows(IllegalArgumentException.class, () -> new Vgg(19, false, CIFAR));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> new Vgg(11, true, new ModelInput(3, 16, 16, 10)));
        assertTrue(small.getMessage().contains("16x16"), small.getMessage());
    }

    @Test
    void outputsOneLogitPerClass() {
        ModelChecks.assertLogits(Zoo.model("vgg16-bn").create(CIFAR, 1), CIFAR, 1);
    }

    /** Narrow copies (widths / 8) of the same layout keep this quick. */
    @Test
    void oneStepLowersTheLossWithAndWithoutBatchNorm() {
        ModelChecks.assertOneStepLowersTheLoss(new Vgg(11, true, CIFAR, 8).initialize(2), CIFAR, 4, 0.05);
        ModelChecks.assertOneStepLowersTheLoss(new Vgg(16, false, CIFAR, 8).initialize(2), CIFAR, 4, 0.05);
    }

    @Test
    void aStateDictRoundTripsThroughSafetensors() throws Exception {
        ModelChecks.assertSafetensorsRoundTrip(() -> new Vgg(13, true, CIFAR, 8).initialize(11),
                () -> new Vgg(13, true, CIFAR, 8).initialize(12), CIFAR);
    }

    @Test
    void evalModeUsesRunningStatisticsAndNoDropout() {
        Module m = new Vgg(11, true, CIFAR, 8).initialize(3);
        ModelChecks.assertEvalUsesRunningStatsAndNoDropout(m, CIFAR, true, true);
    }
}
