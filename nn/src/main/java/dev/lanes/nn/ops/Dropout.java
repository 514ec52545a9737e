package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;

/**
 * Inverted dropout: in training each element is zeroed with probability p and the survivors
 * are scaled by {@code 1 / (1 - p)}. Whether element i survives is a hash of (stream, i), so
 * the mask depends on the seed and the element alone, never on threads or call order
 * elsewhere; the backward pass recomputes it instead of storing it.
 */
public final class Dropout {
    private Dropout() {
    }

    /** Dropout with the next random stream of the tape (see {@link Tape#nextRandomStream}). */
    public static Var dropout(Var x, float p, boolean training) {
        if (!training || p == 0f) {
            checkP(p);
            return x;
        }
        return dropout(x, p, Tape.of(x).nextRandomStream());
    }

    /** Dropout (training) whose mask is fixed by {@code stream}. */
    public static Var dropout(Var x, float p, long stream) {
        checkP(p);
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        Tensor y = t.alloc(xv.shape());
        float keep = 1f / (1f - p);
        float[] xa = xv.data(), ya = y.data();
        int xo = xv.offset(), yo = y.offset();
        if (p == 1f) {
            y.fill(0f);
        } else {
            Parallel.parallelFor(xv.size(), Pointwise.GRAIN, (s, e) -> {
                for (int i = s; i < e; i++) {
                    ya[yo + i] = kept(stream, i, p) ? xa[xo + i] * keep : 0f;
                }
            });
        }
        Var out = t.output("dropout", y, t.needsGrad(x));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                if (p == 1f) {
                    return;
                }
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data();
                int dOff = dx.offset(), gOff = dy.offset();
                Parallel.parallelFor(xv.size(), Pointwise.GRAIN, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        if (kept(stream, i, p)) {
                            da[dOff + i] += ga[gOff + i] * keep;
                        }
                    }
                });
            });
        }
        return out;
    }

    private static void checkP(float p) {
        if (!(p >= 0f && p <= 1f)) {
            throw new IllegalArgumentException("dropout: probability " + p + " is outside [0, 1]");
        }
    }

    /** True when element i survives: a uniform draw in [0, 1) from the hash of (stream, i) is at least p. */
    static boolean kept(long stream, int i, float p) {
        long h = Tape.mix(stream + 0x9e3779b97f4a7c15L * (i + 1L));
        return (h >>> 40) * 0x1.0p-24f >= p;
    }
}
