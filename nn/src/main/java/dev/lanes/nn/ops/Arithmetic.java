package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.VectorMathKernels;

import java.util.Arrays;

/**
 * Binary elementwise ops with NumPy broadcasting ({@code [N, C, H, W] + [C, 1, 1]},
 * {@code [N, K] * [K]}, ...). Same-shape operands take the SIMD kernels; broadcast operands
 * walk the collapsed runs of a {@link BroadcastPlan}. The gradient of a broadcast operand is
 * summed over the stretched dimensions.
 */
public final class Arithmetic {
    private static final VectorMathKernels K = VectorMath.kernels();

    private Arithmetic() {
    }

    public static Var add(Var a, Var b) {
        Tape t = Tape.of(a, b);
        Tensor av = a.value(), bv = b.value();
        if (av.sameShape(bv)) {
            Tensor y = t.alloc(av.shape());
            VectorMath.add(av.data(), av.offset(), bv.data(), bv.offset(), y.data(), y.offset(), y.size());
            Var out = t.output("add", y, t.needsGrad(a, b));
            if (out.requiresGrad()) {
                t.record(out, dy -> {
                    if (a.requiresGrad()) {
                        Pointwise.addGrad(t, a, dy);
                    }
                    if (b.requiresGrad()) {
                        Pointwise.addGrad(t, b, dy);
                    }
                });
            }
            return out;
        }
        BroadcastPlan p = BroadcastPlan.of("add", av.shape(), bv.shape());
        Tensor y = t.alloc(p.outShape);
        float[] aa = av.data(), ba = bv.data(), ya = y.data();
        p.forEachParallel(av.offset(), bv.offset(), y.offset(), (o, ia, ib, len, sa, sb) -> {
            if (sa == 1 && sb == 1) {
                K.add(aa, ia, ba, ib, ya, o, len);
            } else if (sb == 0 && sa == 1) {
                K.addScalar(ba[ib], aa, ia, ya, o, len);
            } else if (sa == 0 && sb == 1) {
                K.addScalar(aa[ia], ba, ib, ya, o, len);
            } else {
                Arrays.fill(ya, o, o + len, aa[ia] + ba[ib]);
            }
        });
        Var out = t.output("add", y, t.needsGrad(a, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                if (a.requiresGrad()) {
                    reduceInto(p, true, t.gradOf(a), dy, 1f);
                }
                if (b.requiresGrad()) {
                    reduceInto(p, false, t.gradOf(b), dy, 1f);
                }
            });
        }
        return out;
    }

    public static Var sub(Var a, Var b) {
        Tape t = Tape.of(a, b);
        Tensor av = a.value(), bv = b.value();
        BroadcastPlan p = BroadcastPlan.of("sub", av.shape(), bv.shape());
        Tensor y = t.alloc(p.outShape);
        float[] aa = av.data(), ba = bv.data(), ya = y.data();
        if (av.sameShape(bv)) {
            VectorMath.sub(aa, av.offset(), ba, bv.offset(), ya, y.offset(), y.size());
        } else {
            p.forEachParallel(av.offset(), bv.offset(), y.offset(), (o, ia, ib, len, sa, sb) -> {
                if (sa == 1 && sb == 1) {
                    K.sub(aa, ia, ba, ib, ya, o, len);
                } else {
                    for (int j = 0; j < len; j++) {
                        ya[o + j] = aa[ia + j * sa] - ba[ib + j * sb];
                    }
                }
            });
        }
        Var out = t.output("sub", y, t.needsGrad(a, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                if (a.requiresGrad()) {
                    reduceInto(p, true, t.gradOf(a), dy, 1f);
                }
                if (b.requiresGrad()) {
                    reduceInto(p, false, t.gradOf(b), dy, -1f);
                }
            });
        }
        return out;
    }

    public static Var mul(Var a, Var b) {
        Tape t = Tape.of(a, b);
        Tensor av = a.value(), bv = b.value();
        BroadcastPlan p = BroadcastPlan.of("mul", av.shape(), bv.shape());
        Tensor y = t.alloc(p.outShape);
        float[] aa = av.data(), ba = bv.data(), ya = y.data();
        if (av.sameShape(bv)) {
            VectorMath.mul(aa, av.offset(), ba, bv.offset(), ya, y.offset(), y.size());
        } else {
            p.forEachParallel(av.offset(), bv.offset(), y.offset(), (o, ia, ib, len, sa, sb) -> {
                if (sa == 1 && sb == 1) {
                    K.mul(aa, ia, ba, ib, ya, o, len);
                } else if (sb == 0 && sa == 1) {
                    K.scale(ba[ib], aa, ia, ya, o, len);
                } else if (sa == 0 && sb == 1) {
                    K.scale(aa[ia], ba, ib, ya, o, len);
                } else {
                    Arrays.fill(ya, o, o + len, aa[ia] * ba[ib]);
                }
            });
        }
        t.addFlops(y.size());
        Var out = t.output("mul", y, t.needsGrad(a, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                if (a.requiresGrad()) {
                    productInto(p, true, t.gradOf(a), dy, bv);
                }
                if (b.requiresGrad()) {
                    productInto(p, false, t.gradOf(b), dy, av);
                }
            });
        }
        return out;
    }

    public static Var div(Var a, Var b) {
        Tape t = Tape.of(a, b);
        Tensor av = a.value(), bv = b.value();
        BroadcastPlan p = BroadcastPlan.of("div", av.shape(), bv.shape());
        Tensor y = t.alloc(p.outShape);
        float[] aa = av.data(), ba = bv.data(), ya = y.data();
        p.forEachParallel(av.offset(), bv.offset(), y.offset(), (o, ia, ib, len, sa, sb) -> {
            for (int j = 0; j < len; j++) {
                ya[o + j] = aa[ia + j * sa] / ba[ib + j * sb];
            }
        });
        t.addFlops(y.size());
        Var out = t.output("div", y, t.needsGrad(a, b));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                float[] g = dy.data();
                int gOff = dy.offset() - y.offset();
                if (a.requiresGrad()) {
                    Tensor da = t.gradOf(a);
                    float[] d = da.data();
                    p.forEachReducingIntoA(da.offset(), bv.offset(), y.offset(), (o, ia, ib, len, sa, sb) -> {
                        for (int j = 0; j < len; j++) {
                            d[ia + j * sa] += g[gOff + o + j] / ba[ib + j * sb];
                        }
                    });
                }
                if (b.requiresGrad()) {
                    // d(a/b)/db = -y/b; the plan walks db, so b itself sits bShift further on
                    Tensor db = t.gradOf(b);
                    float[] d = db.data();
                    int bShift = bv.offset() - db.offset();
                    p.forEachReducingIntoB(av.offset(), db.offset(), y.offset(), (o, ia, ib, len, sa, sb) -> {
                        for (int j = 0; j < len; j++) {
                            d[ib + j * sb] -= g[gOff + o + j] * ya[o + j] / ba[ib + bShift + j * sb];
                        }
                    });
                }
            });
        }
        return out;
    }

    /** {@code target += scale * reduce(dy)}, summing dy over the dimensions the target was stretched along. */
    private static void reduceInto(BroadcastPlan p, boolean intoA, Tensor target, Tensor dy, float scale) {
        float[] d = target.data(), g = dy.data();
        if (target.size() == dy.size()) {
            VectorMath.axpy(scale, g, dy.offset(), d, target.offset(), target.size());
            return;
        }
        BroadcastPlan.Run run = (o, ia, ib, len, sa, sb) -> {
            int it = intoA ? ia : ib;
            int st = intoA ? sa : sb;
            if (st == 1) {
                K.axpy(scale, g, o, d, it, len);
            } else {
                float s = 0f;
                for (int j = 0; j < len; j++) {
                    s += g[o + j];
                }
                d[it] += scale * s;
            }
        };
        if (intoA) {
            p.forEachReducingIntoA(target.offset(), 0, dy.offset(), run);
        } else {
            p.forEachReducingIntoB(0, target.offset(), dy.offset(), run);
        }
    }

    /** {@code target += reduce(dy * other)}: the gradient of a product with respect to one factor. */
    private static void productInto(BroadcastPlan p, boolean intoA, Tensor target, Tensor dy, Tensor other) {
        float[] d = target.data(), g = dy.data(), w = other.data();
        if (target.size() == dy.size() && other.size() == dy.size()) {
            VectorMath.mulAdd(g, dy.offset(), w, other.offset(), d, target.offset(), target.size());
            return;
        }
        BroadcastPlan.Run run = (o, ia, ib, len, sa, sb) -> {
            int it = intoA ? ia : ib, st = intoA ? sa : sb;
            int io = intoA ? ib : ia, so = intoA ? sb : sa;
            if (st == 1 && so == 1) {
                K.mulAdd(g, o, w, io, d, it, len);
            } else if (st == 1) {
                K.axpy(w[io], g, o, d, it, len);
            } else {
                float s = 0f;
                for (int j = 0; j < len; j++) {
                    s += g[o + j] * w[io + j * so];
                }
                d[it] += s;
            }
        };
        if (intoA) {
            p.forEachReducingIntoA(target.offset(), other.offset(), dy.offset(), run);
        } else {
            p.forEachReducingIntoB(other.offset(), target.offset(), dy.offset(), run);
        }
    }
}
