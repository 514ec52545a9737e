package dev.lanes.tensor.simd;

import dev.lanes.tensor.VectorMathKernels;
import dev.lanes.tensor.VectorMathScalar;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@code VectorMathScalar}, loaded by name through {@code Vectorization.load}.
 * Lane arithmetic uses the same operations in the same order as the scalar code (no fused
 * multiply-add), so the kernels match it bit for bit and a scalar tail is safe.
 *
 * <p>Two Vector API features are avoided because their results depend on whether the JIT has
 * compiled the method yet (the interpreter's Java fallback and the C2 intrinsic round
 * differently), which would make training results depend on timing and thread count:
 * {@code reduceLanes(ADD)} on floats (its order is unspecified) and the transcendental
 * {@code lanewise} operators (TANH, EXP: SVML stubs versus {@code Math}). Sums add the lanes
 * in index order; exp, tanh and sigmoid are the Cephes algorithms of the scalar twin, written
 * with exact lane operations.
 */
public final class VectorMathSimd implements VectorMathKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).add(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).sub(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector prod = FloatVector.fromArray(S, a, aOff + i).mul(FloatVector.fromArray(S, b, bOff + i));
            FloatVector.fromArray(S, y, yOff + i).add(prod).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = y[yOff + i] + a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector ax = FloatVector.fromArray(S, x, xOff + i).mul(alpha);
            FloatVector.fromArray(S, y, yOff + i).add(ax).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = y[yOff + i] + alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = alpha * x[xOff + i];
        }
    }

    @Override
    public void addScalar(float c, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).add(c).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = x[xOff + i] + c;
        }
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).max(0f).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            FloatVector g = FloatVector.fromArray(S, dx, dxOff + i);
            g.add(FloatVector.fromArray(S, dy, dyOff + i), pos).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            if (x[xOff + i] > 0f) {
                dx[dxOff + i] = dx[dxOff + i] + dy[dyOff + i];
            }
        }
    }

    @Override
    public void reluBackwardSet(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            VectorMask<Float> pos = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            zero.add(FloatVector.fromArray(S, dy, dyOff + i), pos).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = x[xOff + i] > 0f ? 0f + dy[dyOff + i] : 0f;
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            tanhLanes(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = VectorMathScalar.tanh(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, y, yOff + i);
            FloatVector slope = t.mul(t).neg().add(1f);
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i).mul(slope);
            FloatVector.fromArray(S, dx, dxOff + i).add(g).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dx[dxOff + i] + dy[dyOff + i] * (1f - t * t);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            sigmoidLanes(FloatVector.fromArray(S, x, xOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = VectorMathScalar.sigmoid(x[xOff + i]);
        }
    }

    /** {@link VectorMathScalar#exp} lane by lane. */
    static FloatVector expLanes(FloatVector v) {
        FloatVector x = v.max(VectorMathScalar.EXP_LO).min(VectorMathScalar.EXP_HI);
        FloatVector fx = x.mul(VectorMathScalar.LOG2E).add(0.5f);
        FloatVector t = (FloatVector) fx.convert(VectorOperators.F2I, 0).convert(VectorOperators.I2F, 0);
        t = t.sub(1f, t.compare(VectorOperators.GT, fx));
        IntVector ti = (IntVector) t.convert(VectorOperators.F2I, 0);
        FloatVector r = x.sub(t.mul(VectorMathScalar.LN2_HI));
        r = r.sub(t.mul(VectorMathScalar.LN2_LO));
        FloatVector z = r.mul(r);
        float[] c = VectorMathScalar.EXP_P;
        FloatVector p = r.mul(c[0]).add(c[1]);
        p = p.mul(r).add(c[2]);
        p = p.mul(r).add(c[3]);
        p = p.mul(r).add(c[4]);
        p = p.mul(r).add(c[5]);
        p = p.mul(z).add(r).add(1f);
        FloatVector scale = (FloatVector) ti.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    /** {@link VectorMathScalar#tanh(float)} lane by lane: both branches, then a blend. */
    static FloatVector tanhLanes(FloatVector v) {
        FloatVector a = v.abs();
        FloatVector s = expLanes(a.add(a));
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(s.add(1f)));
        big = big.lanewise(VectorOperators.NEG, v.compare(VectorOperators.LT, 0f));
        FloatVector x2 = v.mul(v);
        float[] c = VectorMathScalar.TANH_P;
        FloatVector p = x2.mul(c[0]).add(c[1]);
        p = p.mul(x2).add(c[2]);
        p = p.mul(x2).add(c[3]);
        p = p.mul(x2).add(c[4]);
        FloatVector small = p.mul(x2).mul(v).add(v);
        return small.blend(big, a.compare(VectorOperators.GE, VectorMathScalar.TANH_SWITCH));
    }

    private static FloatVector sigmoidLanes(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(expLanes(x.neg()).add(1f));
    }

    /** The lanes added in index order (reduceLanes leaves the order open). */
    private static float sumLanes(FloatVector v) {
        float s = 0f;
        for (int j = 0; j < L; j++) {
            s += v.lane(j);
        }
        return s;
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector s = FloatVector.fromArray(S, y, yOff + i);
            FloatVector slope = s.mul(s.neg().add(1f));
            FloatVector g = FloatVector.fromArray(S, dy, dyOff + i).mul(slope);
            FloatVector.fromArray(S, dx, dxOff + i).add(g).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dx[dxOff + i] + dy[dyOff + i] * (s * (1f - s));
        }
    }

    @Override
    public void sgdStep(float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff, int n,
                        float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean first) {
        float keep = 1f - dampening;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, pOff + i);
            FloatVector d = FloatVector.fromArray(S, g, gOff + i).add(w.mul(weightDecay));
            if (momentum != 0f) {
                FloatVector b = first ? d
                        : FloatVector.fromArray(S, buf, bufOff + i).mul(momentum).add(d.mul(keep));
                b.intoArray(buf, bufOff + i);
                d = nesterov ? d.add(b.mul(momentum)) : b;
            }
            w.sub(d.mul(lr)).intoArray(p, pOff + i);
        }
        for (; i < n; i++) {
            float w = p[pOff + i];
            float d = g[gOff + i] + weightDecay * w;
            if (momentum != 0f) {
                float b = first ? d : momentum * buf[bufOff + i] + keep * d;
                buf[bufOff + i] = b;
                d = nesterov ? d + momentum * b : b;
            }
            p[pOff + i] = w - lr * d;
        }
    }

    @Override
    public void adamStep(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int n,
                         float lr, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
                         float weightDecay, boolean decoupled, float bc1, float sqrtBc2) {
        float shrink = 1f - lr * weightDecay;
        float l2 = decoupled ? 0f : weightDecay;
        float step = lr / bc1;
        float keep1 = oneMinusBeta1;
        float keep2 = oneMinusBeta2;
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector w = FloatVector.fromArray(S, p, pOff + i);
            if (decoupled) {
                w = w.mul(shrink);
            }
            FloatVector gi = FloatVector.fromArray(S, g, gOff + i).add(w.mul(l2));
            FloatVector mi = FloatVector.fromArray(S, m, mOff + i).mul(beta1).add(gi.mul(keep1));
            FloatVector vi = FloatVector.fromArray(S, v, vOff + i).mul(beta2).add(gi.mul(gi).mul(keep2));
            mi.intoArray(m, mOff + i);
            vi.intoArray(v, vOff + i);
            FloatVector denom = vi.sqrt().div(sqrtBc2).add(eps);
            w.sub(mi.div(denom).mul(step)).intoArray(p, pOff + i);
        }
        for (; i < n; i++) {
            float w = p[pOff + i];
            if (decoupled) {
                w = w * shrink;
            }
            float gi = g[gOff + i] + l2 * w;
            float mi = beta1 * m[mOff + i] + keep1 * gi;
            float vi = beta2 * v[vOff + i] + keep2 * (gi * gi);
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
            p[pOff + i] = w - step * (mi / denom);
        }
    }

    @Override
    public void scaleShift(float alpha, float beta, float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).mul(alpha).add(beta).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = alpha * x[xOff + i] + beta;
        }
    }

    @Override
    public void affine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                        float[] y, int yOff, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, a, aOff + i).mul(alpha)
                    .add(FloatVector.fromArray(S, b, bOff + i).mul(beta)).add(gamma);
            zero.add(t).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = 0f + (alpha * a[aOff + i] + beta * b[bOff + i] + gamma);
        }
    }

    @Override
    public void addAffine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                           float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector t = FloatVector.fromArray(S, a, aOff + i).mul(alpha)
                    .add(FloatVector.fromArray(S, b, bOff + i).mul(beta)).add(gamma);
            FloatVector.fromArray(S, y, yOff + i).add(t).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = y[yOff + i] + (alpha * a[aOff + i] + beta * b[bOff + i] + gamma);
        }
    }

    @Override
    public float sum(float[] x, int xOff, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, xOff + i));
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    @Override
    public float sumSquaredDeviation(float[] x, int xOff, float mean, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, xOff + i).sub(mean);
            acc = acc.add(d.mul(d));
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            float d = x[xOff + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    public float dotCentered(float[] a, int aOff, float[] b, int bOff, float mean, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector d = FloatVector.fromArray(S, b, bOff + i).sub(mean);
            acc = acc.add(FloatVector.fromArray(S, a, aOff + i).mul(d));
        }
        float s = sumLanes(acc);
        for (; i < n; i++) {
            s += a[aOff + i] * (b[bOff + i] - mean);
        }
        return s;
    }
}
