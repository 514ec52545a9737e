package dev.lanes.nn.ops;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SoftmaxTest {
    @Test
    void softmaxOfARowMatchesHandComputedValues() {
        Var x = Var.constant(Tensor.of(new float[] {1, 2, 3, 1000, 1000, 1000}, 2, 3));
        float[] y = F.softmax(x, 1).value().toArray();
        double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
        assertEquals(Math.exp(1) / z, y[0], 1e-6);
        assertEquals(Math.exp(3) / z, y[2], 1e-6);
        assertEquals(1 / 3.0, y[4], 1e-6);
        float[] ly = F.logSoftmax(x, -1).value().toArray();
        assertEquals(3 - Math.log(z), ly[2], 1e-5);
        assertEquals(-Math.log(3), ly[3], 1e-5);
    }

    @Test
    void softmaxAlongAMiddleAxisSumsToOneAlongThatAxis() {
        Tensor t = Tensor.uniform(3, -3f, 3f, 2, 4, 3);
        float[] y = F.softmax(Var.constant(t), 1).value().toArray();
        for (int a = 0; a < 2; a++) {
            for (int c = 0; c < 3; c++) {
                double s = 0;
                for (int b = 0; b < 4; b++) {
                    s += y[(a * 4 + b) * 3 + c];
                }
                assertEquals(1.0, s, 1e-6);
            }
        }
    }

    @Test
    void gradientsMatchFiniteDifferencesOnEveryAxis() {
        Tensor x = Tensor.uniform(5, -2f, 2f, 2, 3, 4);
        for (int axis = 0; axis < 3; axis++) {
            int a = axis;
            GradCheck.of(in -> F.softmax(in[0], a), x).verify();
            GradCheck.of(in -> F.logSoftmax(in[0], a), x).verify();
        }
    }
}
