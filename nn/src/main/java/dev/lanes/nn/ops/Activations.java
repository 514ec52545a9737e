package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;

/** Activation functions; relu, tanh and sigmoid run on the SIMD kernels of {@link VectorMath}. */
public final class Activations {
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

    private Activations() {
    }

    public static Var relu(Var x) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        Tensor y = t.alloc(xv.shape());
        VectorMath.relu(xv.data(), xv.offset(), y.data(), y.offset(), y.size());
        t.addFlops(y.size());
        Var out = t.output("relu", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor fresh = t.newGrad(x);
                if (fresh != null) {
                    VectorMath.reluBackwardSet(xv.data(), xv.offset(), dy.data(), dy.offset(), fresh.data(), fresh.offset(),
                            fresh.size());
                } else {
                    Tensor dx = t.gradOf(x);
                    VectorMath.reluBackward(xv.data(), xv.offset(), dy.data(), dy.offset(), dx.data(), dx.offset(), dx.size());
                }
            });
        }
        return out;
    }

    public static Var tanh(Var x) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        Tensor y = t.alloc(xv.shape());
        VectorMath.tanh(xv.data(), xv.offset(), y.data(), y.offset(), y.size());
        t.addFlops(y.size());
        Var out = t.output("tanh", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                VectorMath.tanhBackward(y.data(), y.offset(), dy.data(), dy.offset(), dx.data(), dx.offset(), dx.size());
            });
        }
        return out;
    }

    public static Var sigmoid(Var x) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        Tensor y = t.alloc(xv.shape());
        VectorMath.sigmoid(xv.data(), xv.offset(), y.data(), y.offset(), y.size());
        t.addFlops(y.size());
        Var out = t.output("sigmoid", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                VectorMath.sigmoidBackward(y.data(), y.offset(), dy.data(), dy.offset(), dx.data(), dx.offset(), dx.size());
            });
        }
        return out;
    }

    /** {@code x > 0 ? x : slope * x}; the gradient at 0 is {@code slope}, as in PyTorch. */
    public static Var leakyRelu(Var x, float slope) {
        return Pointwise.map("leakyRelu", x, v -> v > 0f ? v : slope * v, (v, y) -> v > 0f ? 1f : slope);
    }

    /** {@code x * sigmoid(x)} (also called swish). */
    public static Var silu(Var x) {
        return Pointwise.map("silu", x, v -> (float) (v / (1.0 + Math.exp(-v))), (v, y) -> {
            double s = 1.0 / (1.0 + Math.exp(-v));
            return (float) (s * (1.0 + v * (1.0 - s)));
        });
    }

    /** The exact GELU, {@code x * Phi(x)} with the standard normal CDF (PyTorch's default). */
    public static Var gelu(Var x) {
        return Pointwise.map("gelu", x, v -> (float) (v * normalCdf(v)),
                (v, y) -> (float) (normalCdf(v) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v)));
    }

    /** The standard normal CDF, {@code 0.5 * erfc(-x / sqrt 2)}. */
    static double normalCdf(double x) {
        return 0.5 * erfc(-x * INV_SQRT2);
    }

    /**
     * The complementary error function, from the Chebyshev fit in Numerical Recipes (section
     * 6.2): fractional error below 1.2e-7 everywhere, below float precision.
     */
    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2.0 - r;
    }
}
