package dev.lanes.nn.optim;

import dev.lanes.nn.Var;
import dev.lanes.nn.io.StateDict;
import dev.lanes.nn.io.StateDictMismatchException;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class OptimizersTest {
    private static Map<String, Var> params(Var... vs) {
        Map<String, Var> m = new LinkedHashMap<>();
        for (int i = 0; i < vs.length; i++) {
            m.put("p" + i, vs[i]);
        }
        return m;
    }

    private static Var param(float... v) {
        return Var.parameter(Tensor.of(v, v.length));
    }

    private static void grad(Var p, float... g) {
        p.grad().copyFrom(Tensor.of(g, g.length));
    }

    @Test
    void sgdWithMomentumAndWeightDecayMatchesHandComputedSteps() {
        Var w = param(1f), b = param(1f).noWeightDecay();
        Sgd opt = new Sgd(params(w, b), 0.1).momentum(0.9).weightDecay(0.5);
        grad(w, 2f);
        grad(b, 2f);
        opt.step();
        // step 1: d = 2 + 0.5 * 1 = 2.5, buf = 2.5, w = 1 - 0.25 = 0.75; b: d = 2, w = 0.8
        assertEquals(0.75f, w.value().at(0), 1e-7f);
        assertEquals(0.8f, b.value().at(0), 1e-7f);
        grad(w, 1f);
        opt.step();
        // step 2: d = 1 + 0.375 = 1.375, buf = 0.9 * 2.5 + 1.375 = 3.625, w = 0.75 - 0.3625
        assertEquals(0.3875f, w.value().at(0), 1e-6f);
    }

    @Test
    void nesterovLooksAhead() {
        Var w = param(0f);
        Sgd opt = new Sgd(params(w), 1.0).momentum(0.5).nesterov(true);
        grad(w, 1f);
        opt.step();   // buf = 1, d = 1 + 0.5 = 1.5
        assertEquals(-1.5f, w.value().at(0));
        opt.step();   // buf = 0.5 + 1 = 1.5, d = 1 + 0.75 = 1.75
        assertEquals(-3.25f, w.value().at(0));
    }

    @Test
    void adamMatchesHandComputedSteps() {
        Var w = param(1f, -1f);
        Adam opt = new Adam(params(w), 0.1);
        grad(w, 0.5f, -2f);
        opt.step();
        // first step: m_hat = g, v_hat = g^2, update = lr * g / (|g| + eps) = lr * sign(g)
        assertArrayEquals(new float[] {0.9f, -0.9f}, w.value().toArray(), 1e-6f);
        grad(w, 0.25f, -2f);
        opt.step();
        double m = 0.9 * 0.05 + 0.1 * 0.25, v = 0.999 * 0.00025 + 0.001 * 0.0625;
        double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
        assertEquals(0.9 - 0.1 * mh / (Math.sqrt(vh) + 1e-8), w.value().at(0), 1e-6);
    }

    @Test
    void adamAppliesL2AndAdamWDecouplesIt() {
        Var a = param(2f), b = param(2f);
        Adam adam = new Adam(params(a), 0.1).weightDecay(0.5);
        AdamW adamw = (AdamW) new AdamW(params(b), 0.1).weightDecay(0.5);
        grad(a, 0f);
        grad(b, 0f);
        adam.step();
        adamw.step();
        // Adam: g = 0 + 0.5 * 2 = 1 -> step of lr * sign = 0.1; AdamW: w = 2 * (1 - 0.05) = 1.9, g = 0 -> no Adam move
        assertEquals(1.9f, a.value().at(0), 1e-6f);
        assertEquals(1.9f, b.value().at(0), 1e-6f);
        grad(a, 0f);
        grad(b, 0f);
        adam.step();
        adamw.step();
        assertEquals(1.9f * 0.95f, b.value().at(0), 1e-6f);
        assertNotEquals(a.value().at(0), b.value().at(0));
    }

    @Test
    void stateRoundTripsAndResumesExactly() {
        Var w1 = param(1f, 2f, 3f), w2 = param(1f, 2f, 3f);
        Adam a = new Adam(params(w1), 0.01), b = new Adam(params(w2), 0.01);
        float[][] grads = {{1, -1, 0.5f}, {0.2f, 0.3f, -0.1f}, {-1, 2, 0}};
        grad(w1, grads[0]);
        a.step();
        StateDict saved = a.stateDict();
        assertEquals(List.of("step", "exp_avg.p0", "exp_avg_sq.p0"), List.copyOf(saved.names()));
        w2.value().copyFrom(w1.value());
        b.loadStateDict(saved);
        assertEquals(1, b.steps());
        for (int s = 1; s < 3; s++) {
            grad(w1, grads[s]);
            grad(w2, grads[s]);
            a.step();
            b.step();
        }
        assertTrue(w1.value().contentEquals(w2.value()));
        StateDict wrong = new StateDict().put("step", Tensor.of(new float[] {1}, 1)).put("exp_avg.p0", Tensor.zeros(2));
        StateDictMismatchException e = assertThrows(StateDictMismatchException.class, () -> b.loadStateDict(wrong));
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void schedulesMatchHandComputedValues() {
        LrSchedule step = LrSchedule.step(0.1, 10, 0.5);
        assertEquals(0.1, step.lr(9), 1e-12);
        assertEquals(0.05, step.lr(10), 1e-12);
        assertEquals(0.025, step.lr(25), 1e-12);
        LrSchedule cos = LrSchedule.cosine(1.0, 110, 10, 0.0);
        assertEquals(0.1, cos.lr(0), 1e-12);
        assertEquals(1.0, cos.lr(9), 1e-12);
        assertEquals(1.0, cos.lr(10), 1e-12);
        assertEquals(0.5, cos.lr(60), 1e-12);
        assertEquals(0.0, cos.lr(110), 1e-12);
        OneCycle one = LrSchedule.oneCycle(1.0, 100);
        // PyTorch OneCycleLR(max_lr=1, total_steps=100): starts at 1/25, peaks at step 29, ends at 1/25/1e4
        assertEquals(0.04, one.lr(0), 1e-12);
        assertEquals(1.0, one.lr(29), 1e-12);
        assertEquals(0.04 / 1e4, one.lr(99), 1e-12);
        assertEquals(0.04 + (1 - 0.04) / 2 * (1 - Math.cos(Math.PI * 10 / 29)), one.lr(10), 1e-12);
        assertEquals(0.95, one.momentum(0), 1e-12);
        assertEquals(0.85, one.momentum(29), 1e-12);
    }

    @Test
    void aOneCycleWhosePeakFallsOnTheFirstStepStartsThere() {
        // 2 steps climbing over half the run (cifar-quick cut to 1 epoch of 2 batches) gave NaN
        OneCycle one = new OneCycle(0.1, 2, 0.5, 25, 1e4);
        assertEquals(0.1, one.lr(0), 1e-12);
        assertEquals(0.1 / 25 / 1e4, one.lr(1), 1e-12);
        assertEquals(0.85, one.momentum(0), 1e-12);
        OneCycle tiny = new OneCycle(0.1, 2, 0.3, 25, 1e4); // peak before step 0: all annealing
        assertTrue(Double.isFinite(tiny.lr(0)) && tiny.lr(0) <= 0.1 && tiny.lr(1) < tiny.lr(0));
    }

    @Test
    void gradientClippingScalesToTheMaximumNorm() {
        Var a = param(0f, 0f), b = param(0f);
        grad(a, 3f, 0f);
        grad(b, 4f);
        assertEquals(5.0, GradClip.clipNorm(List.of(a, b), 1.0), 1e-9);
        assertArrayEquals(new float[] {0.6f, 0f}, a.grad().toArray(), 1e-6f);
        assertEquals(0.8f, b.grad().at(0), 1e-6f);
        assertEquals(1.0, GradClip.clipNorm(List.of(a, b), 2.0), 1e-5);
        assertEquals(0.8f, b.grad().at(0), 1e-6f);
    }
}
