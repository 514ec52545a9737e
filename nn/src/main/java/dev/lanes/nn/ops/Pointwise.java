package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;

/** Elementwise functions of one value: a generic scalar map for the cool ones, SIMD kernels for scale and shift. */
public final class Pointwise {
    /** Elements per parallel task for scalar maps. */
    static final int GRAIN = 1 << 13;

    private Pointwise() {
    }

    /** {@code y = f(x)}. */
    @FunctionalInterface
    public interface Fn {
        float apply(float x);
    }

    /** {@code dy/dx} at {@code x}, given {@code y = f(x)}. */
    @FunctionalInterface
    public interface Slope {
        float apply(float x, float y);
    }

    /** Applies {@code f} elementwise; the backward multiplies the incoming gradient by {@code slope}. */
    public static Var map(String op, Var x, Fn f, Slope slope) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        Tensor y = t.alloc(xv.shape());
        float[] xa = xv.data(), ya = y.data();
        int xo = xv.offset(), yo = y.offset();
        Parallel.parallelFor(xv.size(), GRAIN, (s, e) -> {
            for (int i = s; i < e; i++) {
                ya[yo + i] = f.apply(xa[xo + i]);
            }
        });
        t.addFlops(xv.size());
        Var out = t.output(op, y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                int dOff = dx.offset(), gOff = dy.offset();
                Parallel.parallelFor(xv.size(), GRAIN, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        da[dOff + i] += ga[gOff + i] * slope.apply(xa[xo + i], ya[yo + i]);
                    }
                });
            });
        }
        return out;
    }

    public static Var exp(Var x) {
        return map("exp", x, v -> (float) Math.exp(v), (v, y) -> y);
    }

    public static Var log(Var x) {
        return map("log", x, v -> (float) Math.log(v), (v, y) -> 1f / v);
    }

    public static Var abs(Var x) {
        return map("abs", x, Math::abs, (v, y) -> Math.signum(v));
    }

    public static Var square(Var x) {
        return map("square", x, v -> v * v, (v, y) -> 2f * v);
    }

    public static Var sqrt(Var x) {
        return map("sqrt", x, v -> (float) Math.sqrt(v), (v, y) -> 0.5f / y);
    }

    /** {@code y = alpha * x}. */
    public static Var scale(Var x, float alpha) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        Tensor y = t.alloc(xv.shape());
        VectorMath.scale(alpha, xv.data(), xv.offset(), y.data(), y.offset(), y.size());
        Var out = t.output("scale", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                VectorMath.axpy(alpha, dy.data(), dy.offset(), dx.data(), dx.offset(), dx.size());
            });
        }
        return out;
    }

    /** {@code y = x + c}. */
    public static Var addScalar(Var x, float c) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        Tensor y = t.alloc(xv.shape());
        VectorMath.addScalar(c, xv.data(), xv.offset(), y.data(), y.offset(), y.size());
        Var out = t.output("addScalar", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> addGrad(t, x, dy));
        }
        return out;
    }

    /** {@code dst += src} elementwise (same size). */
    static void addInto(Tensor dst, Tensor src) {
        VectorMath.add(dst.data(), dst.offset(), src.data(), src.offset(), dst.data(), dst.offset(), dst.size());
    }

    /**
     * Adds {@code g} (same size) into {@code v}'s gradient; a first gradient is written as
     * {@code 0 + g} (the bits of adding into zeros) without zeroing and reading it first.
     */
    static void addGrad(Tape t, Var v, Tensor g) {
        Tensor fresh = t.newGrad(v);
        if (fresh != null) {
            VectorMath.addScalar(0f, g.data(), g.offset(), fresh.data(), fresh.offset(), fresh.size());
        } else {
            addInto(t.gradOf(v), g);
        }
    }
}
