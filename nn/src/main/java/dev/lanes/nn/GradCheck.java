package dev.lanes.nn;

import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Checks the backward pass of a function of tensors against central finite differences.
 *
 * <p>The function's output is reduced to the scalar {@code L = sum_k out_k * r_k} with fixed
 * random weights {@code r} (so a gradient routed to the wrong output element, axis or sign
 * shows), {@code L} is accumulated in double, and for every element of every checked input
 * {@code (L(x + eps) - L(x - eps)) / (2 eps)} is compared with the gradient the tape computes.
 * The ops compute in float, so {@code eps} must be large enough for float rounding not to
 * dominate (1e-2 suits inputs of order 1) and inputs must keep away from kinks (relu at 0,
 * max-pool ties) by more than {@code eps}.
 *
 * <pre>{@code
 * GradCheck.of(in -> F.conv2d(in[0], in[1], in[2], 2, 1), x, w, b).verify();
 * }</pre>
 */
public final class GradCheck {
    /** The function under test; it must be deterministic. */
    @FunctionalInterface
    public interface Fn {
        Var apply(Var[] inputs);
    }

    /** The outcome: the worst element relative to its tolerance. */
    public record Report(int checked, double worstRatio, String worst, double maxNumeric) {
        public boolean ok() {
            return worstRatio <= 1.0;
        }
    }

    private final Fn fn;
    private final Tensor[] inputs;
    private final boolean[] check;
    private double eps = 1e-2;
    private double rtol = 1e-2;
    private double atol = 1e-3;
    private long seed = 1234;
    private double minSignal = 1e-3;

    private GradCheck(Fn fn, Tensor[] inputs) {
        this.fn = fn;
        this.inputs = new Tensor[inputs.length];
        this.check = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            this.inputs[i] = inputs[i].copy();
            this.check[i] = true;
        }
    }

    /** A check of {@code fn} at {@code inputs} (copied); all inputs are checked unless {@link #only} says otherwise. */
    public static GradCheck of(Fn fn, Tensor... inputs) {
        return new GradCheck(fn, inputs);
    }

    /** Checks only these inputs; the others get no gradient (as data would). */
    public GradCheck only(int... indices) {
        java.util.Arrays.fill(check, false);
        for (int i : indices) {
            check[i] = true;
        }
        return this;
    }

    public GradCheck eps(double e) {
        eps = e;
        return this;
    }

    /** Passes when {@code |analytic - numeric| <= atol + rtol * max(|analytic|, |numeric|)} everywhere. */
    public GradCheck tolerance(double relative, double absolute) {
        rtol = relative;
        atol = absolute;
        return this;
    }

    /** Seed of the output weights and of the tape (for random ops). */
    public GradCheck seed(long s) {
        seed = s;
        return this;
    }

    /**
     * The largest numeric gradient must exceed this (default 1e-3), so that a check of a function
     * whose gradient vanishes everywhere cannot pass by accident; 0 turns the guard off.
     */
    public GradCheck minSignal(double m) {
        minSignal = m;
        return this;
    }

    public Report run() {
        Tensor[] analytic = new Tensor[inputs.length];
        Tensor weights;
        try (Tape tape = Tape.recording(seed)) {
            Var[] vars = new Var[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                vars[i] = tape.input(inputs[i], check[i]);
            }
            Var out = fn.apply(vars);
            weights = Tensor.uniform(seed ^ 0x9e3779b9L, -1f, 1f, out.shape());
            tape.backward(out, weights);
            for (int i = 0; i < inputs.length; i++) {
                if (check[i]) {
                    analytic[i] = vars[i].grad() == null ? Tensor.zeros(inputs[i].shape()) : vars[i].grad().copy();
                }
            }
        }
        int checked = 0;
        double worstRatio = 0, maxNumeric = 0;
        String worst = "none";
        for (int i = 0; i < inputs.length; i++) {
            if (!check[i]) {
                continue;
            }
            float[] x = inputs[i].data();
            int off = inputs[i].offset();
            for (int k = 0; k < inputs[i].size(); k++) {
                float orig = x[off + k];
                x[off + k] = (float) (orig + eps);
                double plus = objective(weights);
                x[off + k] = (float) (orig - eps);
                double minus = objective(weights);
                x[off + k] = orig;
                double numeric = (plus - minus) / (2 * eps);
                double a = analytic[i].at(k);
                double ratio = Math.abs(a - numeric) / (atol + rtol * Math.max(Math.abs(a), Math.abs(numeric)));
                maxNumeric = Math.max(maxNumeric, Math.abs(numeric));
                checked++;
                if (ratio > worstRatio || Double.isNaN(ratio)) {
                    worstRatio = Double.isNaN(ratio) ? Double.POSITIVE_INFINITY : ratio;
                    worst = "input " + i + " " + Shapes.toString(inputs[i].shape()) + " element " + k
                            + ": analytic " + a + ", numeric " + numeric;
                }
            }
        }
        return new Report(checked, worstRatio, worst, maxNumeric);
    }

    /** Runs the check and throws an {@link AssertionError} describing the worst element when it fails. */
    public Report verify() {
        Report r = run();
        if (r.checked() == 0) {
            throw new AssertionError("gradient check: no input elements were checked");
        }
        if (!r.ok()) {
            throw new AssertionError("gradient check failed (" + r.checked() + " elements, tolerance rtol=" + rtol
                    + " atol=" + atol + ", eps=" + eps + "): worst " + r.worst() + " (" + String.format("%.3g", r.worstRatio())
                    + "x the tolerance)");
        }
        if (r.maxNumeric() < minSignal) {
            throw new AssertionError("gradient check: every numeric gradient is below " + minSignal
                    + " (largest " + r.maxNumeric() + "), so the check proves nothing");
        }
        return r;
    }

    private double objective(Tensor weights) {
        try (Tape tape = Tape.recording(seed)) {
            Var[] vars = new Var[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                vars[i] = tape.input(inputs[i]);
            }
            Tensor out = fn.apply(vars).value();
            double sum = 0;
            for (int k = 0; k < out.size(); k++) {
                sum += (double) out.at(k) * weights.at(k);
            }
            return sum;
        }
    }

    /** Random inputs uniform in {@code [lo, hi)} but at least {@code gap} away from every point in {@code avoid}. */
    public static Tensor awayFrom(long seed, float lo, float hi, float gap, float[] avoid, int... shape) {
        Tensor t = Tensor.zeros(shape);
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < t.size(); i++) {
            float v;
            boolean near;
            do {
                v = (float) (lo + (hi - lo) * r.nextDouble());
                near = false;
                for (float p : avoid) {
                    near |= Math.abs(v - p) < gap;
                }
            } while (near);
            t.data()[i] = v;
        }
        return t;
    }
}
