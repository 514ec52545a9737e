package dev.lanes.zoo.models.googlenet;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.cifar.ModelChecks;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class GoogLeNetTest {
    private static final ModelInput CIFAR = new ModelInput(3, 32, 32, 10);
    /** 8x8 images keep the tests quick (8 -> 4 -> 2 after the two pools); the layout is the same. */
    private static final ModelInput TINY = new ModelInput(3, 8, 8, 10);

    /**
     * Stem conv 3x3 3-192 + BN: 5,568; each module: its six convolutions (no bias) and their BN,
     * e.g. 3a: 192x64 + 192x96 + 9x96x128 + 192x16 + 25x16x32 + 192x32 weights + 2 x 368 BN =
     * 164,480; the nine modules with the paper's widths sum to 5,856,096; fc 1,024-10: 10,250.
     */
    @Test
    void hasItsParameterCountAndTorchvisionNames() {
        assertEquals(5_871_914, Zoo.model("googlenet").parameterCount());
        Map<String, Var> p = Zoo.model("googlenet").create(CIFAR, 0).namedParameters();
        assertArrayEquals(new int[] {192, 3, 3, 3}, p.get("conv1.conv.weight").shape());
        assertArrayEquals(new int[] {64, 192, 1, 1}, p.get("inception3a.branch1.conv.weight").shape());
        assertArrayEquals(new int[] {128, 96, 3, 3}, p.get("inception3a.branch2.1.conv.weight").shape());
        assertArrayEquals(new int[] {32, 16, 5, 5}, p.get("inception3a.branch3.1.conv.weight").shape(), "the paper's 5x5");
        assertArrayEquals(new int[] {32, 192, 1, 1}, p.get("inception3a.branch4.1.conv.weight").shape());
        assertArrayEquals(new int[] {10, 1024}, p.get("fc.weight").shape());
    }

    /** The module concatenates its four branches: 64 + 128 + 32 + 32 = 256 channels, same map size. */
    @Test
    void inceptionConcatenatesFourBranchesAlongTheChannels() {
        Inception m = new Inception(192, 64, 96, 128, 16, 32, 32);
        m.eval();
        try (Tape t = Tape.inference()) {
            Var y = m.forward(t.input(Tensor.randn(1, 1f, 2, 192, 5, 5)));
            assertArrayEquals(new int[] {2, 256, 5, 5}, y.shape());
        }
        assertEquals(256, m.outChannels());
    }

    @Test
    void outputsOneLogitPerClass() {
        ModelChecks.assertLogits(Zoo.model("googlenet").create(TINY, 1), TINY, 2);
    }

    @Test
    void oneStepLowersTheLoss() {
        ModelChecks.assertOneStepLowersTheLoss(Zoo.model("googlenet").create(TINY, 2), TINY, 2, 0.05);
    }

    @Test
    void aStateDictRoundTripsThroughSafetensors() throws Exception {
        ModelChecks.assertSafetensorsRoundTrip(() -> Zoo.model("googlenet").create(TINY, 11),
                () -> Zoo.model("googlenet").create(TINY, 12), TINY);
    }

    @Test
    void evalModeUsesRunningStatisticsAndNoDropout() {
        ModelChecks.assertEvalUsesRunningStatsAndNoDropout(Zoo.model("googlenet").create(TINY, 3), TINY, true, true);
    }
}
