package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.optim.Adam;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class KANConv2dTest {
    @Test
    void strideAndPaddingGiveTheConvolutionShape() {
        assertArrayEquals(new int[] {2, 4, 7, 7}, new KANConv2d(3, 4, 3, 1, 1).forward(Var.constant(Tensor.zeros(2, 3, 7, 7))).shape());
        assertArrayEquals(new int[] {2, 4, 4, 4}, new KANConv2d(3, 4, 3, 2, 1).forward(Var.constant(Tensor.zeros(2, 3, 7, 7))).shape());
        assertArrayEquals(new int[] {1, 5, 3, 2}, new KANConv2d(1, 5, 5, 1, 0).forward(Var.constant(Tensor.zeros(1, 1, 7, 6))).shape());
        KANConv2d c = new KANConv2d(3, 4, 3, 1, 1);
        assertEquals(4 * 27 * (1 + 8 + 1), c.parameterCount());
        assertTrue(c.namedParameters().containsKey("kan.spline_weight"));
    }

    @Test
    void eachOutputPixelIsTheKanOfItsReceptiveField() {
        KANConv2d c = new KANConv2d(2, 3, 3, 2, 1);
        c.initialize(4);
        c.kan().splineWeight().value().copyFrom(Tensor.uniform(5, -1f, 1f, 3, 18, 8));
        Tensor x = Tensor.uniform(6, -1f, 1f, 1, 2, 5, 5);
        Tensor y = c.forward(Var.constant(x)).value();                 // [1, 3, 3, 3]
        // output (oy, ox) = (1, 2): inputs rows 1..3, columns 3..5 (column 5 is padding)
        float[] field = new float[18];
        for (int ch = 0; ch < 2; ch++) {
            for (int ky = 0; ky < 3; ky++) {
                for (int kx = 0; kx < 3; kx++) {
                    int iy = 2 - 1 + ky, ix = 4 - 1 + kx;
                    field[(ch * 3 + ky) * 3 + kx] = ix < 5 ? x.get(0, ch, iy, ix) : 0f;
                }
            }
        }
        float[] want = c.kan().forward(Var.constant(Tensor.of(field, 1, 18))).value().toArray();
        for (int o = 0; o < 3; o++) {
            assertEquals(want[o], y.get(0, o, 1, 2), 1e-5, "channel " + o);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        KANConv2d c = new KANConv2d(2, 2, 3, 2, 1, 3, 3, -1f, 1f);
        c.initialize(7);
        c.kan().splineWeight().value().copyFrom(Tensor.uniform(8, -1f, 1f, 2, 18, 6));
        Tensor x = Tensor.uniform(9, -1.2f, 1.2f, 2, 2, 4, 5);
        GradCheck.of(in -> c.forward(in[0]), x).eps(1e-3).verify();
        KANLinearTest.checkParameterGradients(c, x, 1e-3, 1e-2, 1e-3);
    }

    @Test
    void oneStepDecreasesTheLoss() {
        Sequential net = new Sequential(new KANConv2d(1, 4, 3, 1, 1), new MaxPool2d(2), new KANConv2d(4, 4, 3, 1, 1),
                new Flatten(), new Linear(4 * 4 * 4, 3));
        net.initialize(10);
        Tensor x = Tensor.uniform(11, 0f, 1f, 6, 1, 8, 8);
        int[] labels = {0, 1, 2, 0, 1, 2};
        Adam adam = new Adam(net.namedParameters(), 1e-2);
        float[] losses = new float[2];
        for (int s = 0; s < 2; s++) {
            adam.zeroGrad();
            try (Tape tape = Tape.recording(s)) {
                Var l = F.crossEntropy(net.forward(tape.input(x)), labels);
                tape.backward(l);
                losses[s] = l.item();
            }
            adam.step();
        }
        assertTrue(losses[1] < losses[0], "loss " + losses[0] + " -> " + losses[1]);
    }

    @Test
    void wrongChannelCountIsRejectedNamingTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KANConv2d(3, 4, 3, 1, 1).forward(Var.constant(Tensor.zeros(1, 2, 5, 5))));
        assertTrue(e.getMessage().contains("[1, 2, 5, 5]"), e.getMessage());
    }
}
