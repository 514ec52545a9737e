package dev.lanes.zoo.models.alexnet;

import dev.lanes.nn.Var;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.cifar.ModelChecks;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class AlexNetTest {
    private static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);
    private static final ModelInput SMALL = new ModelInput(3, 16, 16, 10);

    /**
     * conv 5x5 3-64 (4,864), 5x5 64-192 (307,392), 3x3 192-384 (663,936), 3x3 384-256 (884,992),
     * 3x3 256-256 (590,080); fc 4,096-1,024 (4,195,328), 1,024-1,024 (1,049,600), 1,024-10 (10,250).
     */
    @Test
    void hasItsParameterCountAndTorchvisionNames() {
        assertEquals(7_706_442, Zoo.model("alexnet").parameterCount());
        Map<String, Var> p = Zoo.model("alexnet").create(CIFAR, 0).namedParameters();
        assertEquals(List.of("features.0.weight", "features.0.bias", "features.4.weight", "features.4.bias",
                "features.8.weight"), List.copyOf(p.keySet()).subList(0, 5));
        assertArrayEquals(new int[] {AlexNet.HIDDEN, 256 * 4 * 4}, p.get("classifier.1.weight").shape());
        assertArrayEquals(new int[] {10, AlexNet.HIDDEN}, p.get("classifier.6.weight").shape());
        // smaller images only shrink the first fully connected layer: 16 -> 8 -> 4 -> 2
        assertArrayEquals(new int[] {AlexNet.HIDDEN, 256 * 2 * 2},
                new AlexNet(SMALL).namedParameters().get("classifier.1.weight").shape());
    }

    @Test
    void outputsOneLogitPerClass() {
        ModelChecks.assertLogits(Zoo.model("alexnet").create(CIFAR, 1), CIFAR, 1);
    }

    @Test
    void oneStepLowersTheLoss() {
        ModelChecks.assertOneStepLowersTheLoss(Zoo.model("alexnet").create(SMALL, 2), SMALL, 2, 0.02);
    }

    @Test
    void aStateDictRoundTripsThroughSafetensors() throws Exception {
        ModelChecks.assertSafetensorsRoundTrip(() -> Zoo.model("alexnet").create(SMALL, 11),
                () -> Zoo.model("alexnet").create(SMALL, 12), SMALL);
    }

    @Test
    void evalModeHasNoDropout() {
        ModelChecks.assertEvalUsesRunningStatsAndNoDropout(Zoo.model("alexnet").create(SMALL, 3), SMALL, false, true);
    }
}
