package dev.lanes.zoo.models.capsnet;

import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.optim.Adam;
import dev.lanes.nn.train.CustomLoss;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class CapsNetTest {
    private static final ModelInput MNIST = new ModelInput(1, 28, 28, 10);
    /** The paper's structure at a size the naive test kernels run quickly. */
    private static final CapsNet.Config SMALL = new CapsNet.Config(8, 9, 4, 4, 6, 3, 32, 64);

    static Tensor images(long seed, int n) {
        return Tensor.uniform(seed, 0f, 1f, n, 1, 28, 28);
    }

    @Test
    void thePapersNetworkHasItsLayersAndAbout8Point2MillionParameters() {
        Module m = Zoo.model("capsnet").create(MNIST, 1);
        assertEquals(List.of("conv1.weight", "conv1.bias", "primary_caps.conv.weight", "primary_caps.conv.bias",
                "digit_caps.weight", "decoder.0.weight", "decoder.0.bias", "decoder.2.weight", "decoder.2.bias",
                "decoder.4.weight", "decoder.4.bias"), List.copyOf(m.namedParameters().keySet()));
        assertArrayEquals(new int[] {256, 1, 9, 9}, m.namedParameters().get("conv1.weight").shape());
        assertArrayEquals(new int[] {256, 256, 9, 9}, m.namedParameters().get("primary_caps.conv.weight").shape());
        // 32 maps x 6 x 6 = 1152 primary capsules of 8-D, each predicting 10 digit capsules of 16-D
        assertArrayEquals(new int[] {1152, 10, 16, 8}, m.namedParameters().get("digit_caps.weight").shape());
        assertArrayEquals(new int[] {784, 1024}, m.namedParameters().get("decoder.4.weight").shape());
        // 20,992 + 5,308,672 + 1,474,560 + 82,432 + 525,312 + 803,600
        assertEquals(8_215_568, m.parameterCount());
        assertEquals(3, ((CapsNet) m).config().routing());
    }

    @Test
    void capsulesHaveTheirShapesAndLengthsBelowOne() {
        CapsNet net = new CapsNet(MNIST, SMALL);
        net.initialize(2);
        try (Tape t = Tape.inference()) {
            Var v = net.capsules(t.input(images(3, 2)));
            assertArrayEquals(new int[] {2, 10, 6}, v.shape());
            Var len = net.forward(t.input(images(3, 2)));
            assertArrayEquals(new int[] {2, 10}, len.shape());
            for (float l : len.value().toArray()) {
                assertTrue(l >= 0f && l < 1f, "length " + l);
            }
            Var r = net.reconstruct(t.input(images(3, 2)));
            assertArrayEquals(new int[] {2, 1, 28, 28}, r.shape());
            for (float p : r.value().toArray()) {
                assertTrue(p > 0f && p < 1f);
            }
        }
    }

    private static float loss(CapsNet net, Tensor x, int[] labels) {
        try (Tape t = Tape.inference()) {
            return net.lossAndScores(t.input(x), labels).loss().item();
        }
    }

    private static float margin(CapsNet net, Tensor x, int[] labels) {
        try (Tape t = Tape.inference()) {
            return dev.lanes.nn.F.marginLoss(net.forward(t.input(x)), labels).item();
        }
    }

    @Test
    void theDecoderSeesTheTrueClassInTrainingAndTheLongestCapsuleInEvaluation() {
        CapsNet net = new CapsNet(MNIST, SMALL);
        Tensor lengths = Tensor.of(new float[] {0.1f, 0.8f, 0.3f, 0.9f, 0.2f, 0.4f}, 2, 3);
        int[] labels = {2, 0};
        net.train();
        assertArrayEquals(labels, net.decoderClasses(labels, lengths));
        net.eval();
        assertArrayEquals(new int[] {1, 0}, net.decoderClasses(labels, lengths));
        // and the evaluation loss's reconstruction term does not depend on the labels
        net.initialize(4);
        Tensor x = images(5, 3);
        int[] a = {0, 1, 2}, b = {7, 8, 9};
        float reconA = loss(net, x, a) - margin(net, x, a), reconB = loss(net, x, b) - margin(net, x, b);
        assertEquals(reconA, reconB, 1e-6f);
        assertTrue(reconA > 0f);
    }

    @Test
    void aFewStepsLowerTheLoss() {
        CapsNet net = new CapsNet(MNIST, SMALL);
        net.initialize(6);
        Tensor x = images(7, 6);
        int[] y = {0, 1, 2, 3, 4, 5};
        Adam opt = new Adam(net.namedParameters(), 1e-3);
        float first = 0, last = 0;
        for (int s = 0; s < 5; s++) {
            opt.zeroGrad();
            try (Tape t = Tape.recording(s)) {
                CustomLoss.LossAndScores ls = net.lossAndScores(t.input(x), y);
                t.backward(ls.loss());
                last = ls.loss().item();
                first = s == 0 ? last : first;
            }
            opt.step();
        }
        assertTrue(last < first, "loss " + first + " -> " + last);
    }

    @Test
    void routingIterationsAreConfigurable() {
        CapsNet one = new CapsNet(MNIST, SMALL.withRouting(1));
        CapsNet three = new CapsNet(MNIST, SMALL);
        one.initialize(8);
        three.initialize(8);
        Tensor x = images(9, 2);
        try (Tape t = Tape.inference()) {
            assertFalse(java.util.Arrays.equals(one.forward(t.input(x)).value().toArray(),
                    three.forward(t.input(x)).value().toArray()));
        }
        assertThrows(IllegalArgumentException.class, () -> new CapsNet(MNIST, SMALL.withRouting(0)));
        assertThrows(IllegalArgumentException.class, () -> new CapsNet(new ModelInput(1, 16, 16, 10), SMALL));
    }

    @Test
    void trainingGivesBitIdenticalWeightsOnOneAndThreeThreads() {
        Tensor x = images(12, 8);
        int[] y = {0, 1, 2, 3, 4, 5, 6, 7};
        float[] one = dev.lanes.zoo.models.kan.KanModelsTest.weightsAfterSteps(
                () -> new CapsNet(MNIST, SMALL).initialize(13), x, y, 1);
        float[] three = dev.lanes.zoo.models.kan.KanModelsTest.weightsAfterSteps(
                () -> new CapsNet(MNIST, SMALL).initialize(13), x, y, 3);
        assertArrayEquals(one, three);
    }
}
