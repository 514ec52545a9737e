package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.GradCheck;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.optim.Adam;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class KANLinearTest {
    /** The loss {@code sum(out * r)} and its parameter gradients, on a recording tape. */
    private static double weightedSum(Module m, Tensor x, Tensor r, boolean backward) {
        m.zeroGrad();
        try (Tape tape = Tape.recording(1)) {
            Var out = m.forward(tape.input(x));
            double s = 0;
            for (int i = 0; i < out.size(); i++) {
                s += (double) out.value().at(i) * r.at(i);
            }
            if (backward) {
                tape.backward(out, r);
            }
            return s;
        }
    }

    /** Every parameter's gradient against central differences of {@link #weightedSum}. */
    static void checkParameterGradients(Module m, Tensor x, double eps, double rtol, double atol) {
        Tensor r = Tensor.uniform(99, -1f, 1f, outputShape(m, x));
        weightedSum(m, x, r, true);
        Map<String, Tensor> grads = new java.util.LinkedHashMap<>();
        m.namedParameters().forEach((name, p) -> grads.put(name, p.grad().copy()));
        double largest = 0;
        for (Map.Entry<String, Var> e : m.namedParameters().entrySet()) {
            Var p = e.getValue();
            Tensor analytic = grads.get(e.getKey());
            float[] v = p.value().data();
            int off = p.value().offset();
            for (int k = 0; k < p.size(); k++) {
                float orig = v[off + k];
                v[off + k] = (float) (orig + eps);
                double plus = weightedSum(m, x, r, false);
                v[off + k] = (float) (orig - eps);
                double minus = weightedSum(m, x, r, false);
                v[off + k] = orig;
                double numeric = (plus - minus) / (2 * eps), a = analytic.at(k);
                largest = Math.max(largest, Math.abs(numeric));
                assertTrue(Math.abs(a - numeric) <= atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)),
                        e.getKey() + " element " + k + ": analytic " + a + ", numeric " + numeric);
            }
        }
        assertTrue(largest > 1e-3, "every parameter gradient vanished, the check proves nothing");
    }

    private static int[] outputShape(Module m, Tensor x) {
        try (Tape tape = Tape.inference()) {
            return m.forward(tape.input(x)).shape().clone();
        }
    }

    @Test
    void parametersAndGridAreNamedAsInEfficientKan() {
        KANLinear k = new KANLinear(4, 3);
        assertEquals(java.util.List.of("base_weight", "spline_weight", "spline_scaler"),
                java.util.List.copyOf(k.namedParameters().keySet()));
        assertArrayEquals(new int[] {3, 4, 8}, k.splineWeight().shape());
        assertArrayEquals(new int[] {4, 12}, k.namedBuffers().get("grid").shape());
        assertEquals(3 * 4 * (1 + 8 + 1), k.parameterCount());
    }

    @Test
    void outputIsTheSumOverInputsOfBaseAndSplineActivations() {
        KANLinear k = new KANLinear(2, 1);
        k.initialize(3);
        float x0 = 0.3f, x1 = -0.6f;
        float[] b0 = F.bsplineBasis(Var.constant(Tensor.of(new float[] {x0, x1}, 1, 2)), k.grid(), 3).value().toArray();
        double want = 0;
        float[] xs = {x0, x1};
        for (int i = 0; i < 2; i++) {
            double silu = xs[i] / (1 + Math.exp(-xs[i]));
            double spline = 0;
            for (int j = 0; j < 8; j++) {
                spline += b0[i * 8 + j] * k.splineWeight().value().at(i * 8 + j);
            }
            want += k.baseWeight().value().at(i) * silu + k.splineScaler().value().at(i) * spline;
        }
        float got = k.forward(Var.constant(Tensor.of(new float[] {x0, x1}, 1, 2))).value().at(0);
        assertEquals(want, got, 1e-6);
    }

    @Test
    void layerGradientsMatchFiniteDifferences() {
        KANLinear k = new KANLinear(3, 2, 4, 3, -1f, 1f);
        k.initialize(5);
        // larger spline coefficients than the initial noise, so their gradients matter
        k.splineWeight().value().copyFrom(Tensor.uniform(6, -1f, 1f, 2, 3, 7));
        Tensor x = Tensor.uniform(7, -1.2f, 1.2f, 4, 3);
        GradCheck.of(in -> k.forward(in[0]), x).eps(1e-3).verify();
        checkParameterGradients(k, x, 1e-3, 1e-2, 1e-3);
        // a 3-D input keeps its leading dimensions
        GradCheck.of(in -> k.forward(in[0]), Tensor.uniform(8, -1f, 1f, 2, 2, 3)).eps(1e-3).verify();
    }

    @Test
    void regularizationGradientMatchesFiniteDifferences() {
        KANLinear k = new KANLinear(3, 2, 3, 3, -1f, 1f);
        k.initialize(9);
        Tensor x = Tensor.uniform(10, -1f, 1f, 5, 3);
        Var reg = k.regularization(Var.constant(x), 1f, 2f);
        assertEquals(1, reg.size());
        assertTrue(reg.item() > 0);
        GradCheck.of(in -> k.regularization(in[0], 1f, 2f), x).eps(1e-3).tolerance(2e-2, 1e-3).verify();
    }

    @Test
    void edgeActivationsSumToTheOutput() {
        KANLinear k = new KANLinear(4, 3);
        k.initialize(11);
        Tensor x = Tensor.uniform(12, -1f, 1f, 5, 4);
        float[] edges = k.edgeActivations(Var.constant(x)).value().toArray();   // [in, rows, out]
        float[] y = k.forward(Var.constant(x)).value().toArray();
        for (int r = 0; r < 5; r++) {
            for (int o = 0; o < 3; o++) {
                double s = 0;
                for (int i = 0; i < 4; i++) {
                    s += edges[(i * 5 + r) * 3 + o];
                }
                assertEquals(y[r * 3 + o], s, 1e-5);
            }
        }
    }

    /** A layer whose splines are far from zero: coefficients of a smooth curve per edge. */
    private static KANLinear smoothLayer(int in, int out) {
        KANLinear k = new KANLinear(in, out);
        k.initialize(13);
        float[] w = k.splineWeight().value().data();
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) Math.sin(0.7 * i);
        }
        return k;
    }

    private static float rms(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (double) (a[i] - b[i]);
        }
        return (float) Math.sqrt(s / a.length);
    }

    @Test
    void gridUpdateMovesTheGridToTheDataAndKeepsTheFunction() {
        KANLinear k = smoothLayer(3, 2);
        Tensor x = Tensor.uniform(14, -0.5f, 0.5f, 400, 3);      // the data uses only half the grid
        float[] before = k.forward(Var.constant(x)).value().toArray();
        k.updateGrid(x, 0.01f);
        float[] after = k.forward(Var.constant(x)).value().toArray();
        float lo = k.grid().at(3), hi = k.grid().at(3 + 5);          // feature 0: the interior knots t_k .. t_{k+G}
        assertTrue(lo > -0.52f && lo < -0.48f && hi > 0.48f && hi < 0.52f, "grid [" + lo + ", " + hi + "]");
        assertTrue(rms(before, after) < 0.02f, "the refit changed the function by " + rms(before, after));
    }

    @Test
    void gridExtensionToAFinerGridKeepsTheFunction() {
        KANLinear k = smoothLayer(2, 3);
        Tensor x = Tensor.uniform(15, -1f, 1f, 500, 2);
        float[] before = k.forward(Var.constant(x)).value().toArray();
        KANLinear fine = k.extended(10, x);
        assertEquals(10, fine.gridSize());
        assertArrayEquals(new int[] {3, 2, 13}, fine.splineWeight().shape());
        float[] after = fine.forward(Var.constant(x)).value().toArray();
        assertTrue(rms(before, after) < 0.01f, "extension changed the function by " + rms(before, after));
    }

    @Test
    void wrongInputWidthIsRejectedNamingTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KANLinear(4, 2).forward(Var.constant(Tensor.zeros(3, 5))));
        assertTrue(e.getMessage().contains("[3, 5]"), e.getMessage());
    }

    /** f(x, y) = exp(sin(pi x) + y^2), the first example of the KAN paper. */
    private static Tensor[] paperFunction(long seed, int n) {
        Tensor x = Tensor.uniform(seed, -1f, 1f, n, 2);
        Tensor y = Tensor.zeros(n, 1);
        for (int i = 0; i < n; i++) {
            double a = x.at(2 * i), b = x.at(2 * i + 1);
            y.data()[i] = (float) Math.exp(Math.sin(Math.PI * a) + b * b);
        }
        return new Tensor[] {x, y};
    }

    private static double trainFullBatch(Module net, Tensor x, Tensor y, int steps, double lr) {
        Adam adam = new Adam(net.namedParameters(), lr);
        double loss = Double.NaN;
        for (int s = 0; s < steps; s++) {
            adam.zeroGrad();
            try (Tape tape = Tape.recording(s)) {
                Var l = F.mseLoss(net.forward(tape.input(x)), Var.constant(y));
                tape.backward(l);
                loss = l.item();
            }
            adam.step();
        }
        return loss;
    }

    private static double rmse(Module net, Tensor x, Tensor y) {
        float[] p = net.forward(Var.constant(x)).value().toArray();
        return rms(p, y.toArray());
    }

    @Test
    void aKanFitsTheSmoothFunctionOfThePaper() {
        Tensor[] train = paperFunction(21, 1000), test = paperFunction(22, 1000);
        // KAN [2, 5, 1], G = 5, k = 3, as in the paper's first example
        Sequential kan = new Sequential(new KANLinear(2, 5), new KANLinear(5, 1, 5, 3, -1f, 1f));
        kan.initialize(1);
        double first = trainFullBatch(kan, train[0], train[1], 1, 0.02);
        trainFullBatch(kan, train[0], train[1], 600, 0.02);
        double rmse = rmse(kan, test[0], test[1]);
        // measured: RMSE 0.014 after 600 Adam steps (0.006 after 1500); f itself spans [0.37, 7.4]
        assertTrue(rmse < 0.03, "test RMSE " + rmse + " (first loss " + first + ")");
    }

    @Test
    void oneStepDecreasesTheLoss() {
        Tensor[] d = paperFunction(23, 64);
        Sequential kan = new Sequential(new KANLinear(2, 4), new KANLinear(4, 1));
        kan.initialize(2);
        double before = trainFullBatch(kan, d[0], d[1], 1, 0.01);
        double after = trainFullBatch(kan, d[0], d[1], 1, 0.01);
        assertTrue(after < before, "loss went from " + before + " to " + after);
    }
}
