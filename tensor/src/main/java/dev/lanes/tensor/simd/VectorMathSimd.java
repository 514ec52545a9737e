package dev.lanes.tensor.simd;

import dev.lanes.tensor.VectorMathKernels;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD twin of {@code VectorMathScalar}, loaded by name through {@code Vectorization.load}.
 * Lane arithmetic uses the same operations in the same order as the scalar code (no fused
 * multiply-add), so the exact kernels match it bit for bit and a scalar tail is safe. The
 * transcendental kernels handle their tail with a mask instead, so every element goes
 * through the same vector code and the result never depends on where a chunk starts.
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
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(S, x, xOff + i).lanewise(VectorOperators.TANH).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector.fromArray(S, x, xOff + i, m).lanewise(VectorOperators.TANH).intoArray(y, yOff + i, m);
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
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            sigmoidLanes(FloatVector.fromArray(S, x, xOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    private static FloatVector sigmoidLanes(FloatVector x) {
        FloatVector denom = x.neg().lanewise(VectorOperators.EXP).add(1f);
        return FloatVector.broadcast(S, 1f).div(denom);
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
}
