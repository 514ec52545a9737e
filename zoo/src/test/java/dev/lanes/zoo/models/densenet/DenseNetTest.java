package dev.lanes.zoo.models.densenet;

import dev.lanes.nn.Var;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.cifar.ModelChecks;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class DenseNetTest {
    private static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);
    private static final ModelInput TINY = new ModelInput(3, 8, 8, 10);

    /**
     * DenseNet-BC-100, k = 12 (the paper: 0.8M): conv0 3x3 3-24; 16 bottleneck layers per block
     * (BN c, conv 1x1 c-48, BN 48, conv 3x3 48-12), channels 24 -> 216 -> 108 -> 300 -> 150 -> 342
     * with transitions (BN, conv 1x1 to half); BN 342; fc 342-10: 769,162, torchvision's
     * construction. DenseNet-BC-40 (6 layers per block): 176,122.
     */
    @Test
    void hasThePapersParameterCounts() {
        assertEquals(769_162, Zoo.model("densenet-bc-100").parameterCount());
        assertEquals(176_122, Zoo.model("densenet-bc-40").parameterCount());
        assertThrows(IllegalArgumentException.class, () -> new DenseNet(41, 12, CIFAR));
    }

    @Test
    void namesFollowTorchvision() {
        Map<String, Var> p = Zoo.model("densenet-bc-100").create(CIFAR, 0).namedParameters();
        assertArrayEquals(new int[] {24, 3, 3, 3}, p.get("features.conv0.weight").shape());
        assertArrayEquals(new int[] {24}, p.get("features.denseblock1.denselayer1.norm1.weight").shape());
        assertArrayEquals(new int[] {48, 24 + 15 * 12, 1, 1},
                p.get("features.denseblock1.denselayer16.conv1.weight").shape());
        assertArrayEquals(new int[] {12, 48, 3, 3}, p.get("features.denseblock3.denselayer16.conv2.weight").shape());
        assertArrayEquals(new int[] {108, 216, 1, 1}, p.get("features.transition1.conv.weight").shape(), "compression 0.5");
        assertArrayEquals(new int[] {150, 300, 1, 1}, p.get("features.transition2.conv.weight").shape());
        assertArrayEquals(new int[] {342}, p.get("features.norm5.weight").shape());
        assertArrayEquals(new int[] {10, 342}, p.get("classifier.weight").shape());
        assertFalse(p.containsKey("features.transition3.conv.weight"));
    }

    @Test
    void outputsOneLogitPerClass() {
        ModelChecks.assertLogits(Zoo.model("densenet-bc-100").create(TINY, 1), TINY, 1);
    }

    @Test
    void oneStepLowersTheLoss() {
        ModelChecks.assertOneStepLowersTheLoss(Zoo.model("densenet-bc-40").create(TINY, 2), TINY, 2, 0.05);
    }

    @Test
    void aStateDictRoundTripsThroughSafetensors() throws Exception {
        ModelChecks.assertSafetensorsRoundTrip(() -> Zoo.model("densenet-bc-40").create(TINY, 11),
                () -> Zoo.model("densenet-bc-40").create(TINY, 12), TINY);
    }

    @Test
    void evalModeUsesRunningStatistics() {
        ModelChecks.assertEvalUsesRunningStatsAndNoDropout(Zoo.model("densenet-bc-40").create(TINY, 3), TINY, true, false);
    }
}
