package dev.lanes.tensor;

/** The scalar twin of {@code simd.VectorMathSimd}: plain loops, the reference the SIMD kernels are tested against. */
public final class VectorMathScalar implements VectorMathKernels {
    @Override
    public void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    @Override
    public void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = a[aOff + i] - b[bOff + i];
        }
    }

    @Override
    public void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = y[yOff + i] + a[aOff + i] * b[bOff + i];
        }
    }

    @Override
    public void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = y[yOff + i] + alpha * x[xOff + i];
        }
    }

    @Override
    public void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = alpha * x[xOff + i];
        }
    }

    @Override
    public void addScalar(float c, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = x[xOff + i] + c;
        }
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.max(x[xOff + i], 0f);
        }
    }

    @Override
    public void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            if (x[xOff + i] > 0f) {
                dx[dxOff + i] = dx[dxOff + i] + dy[dyOff + i];
            }
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) Math.tanh(x[xOff + i]);
        }
    }

    @Override
    public void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float t = y[yOff + i];
            dx[dxOff + i] = dx[dxOff + i] + dy[dyOff + i] * (1f - t * t);
        }
    }

    @Override
    public void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = (float) (1.0 / (1.0 + Math.exp(-x[xOff + i])));
        }
    }

    @Override
    public void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            float s = y[yOff + i];
            dx[dxOff + i] = dx[dxOff + i] + dy[dyOff + i] * (s * (1f - s));
        }
    }

    @Override
    public void sgdStep(float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff, int n,
                        float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean first) {
        float keep = 1f - dampening;
        for (int i = 0; i < n; i++) {
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
        for (int i = 0; i < n; i++) {
            float w = p[pOff + i];
            if (decoupled) {
                w = w * shrink;
            }
            float gi = g[gOff + i] + l2 * w;
            float mi = beta1 * m[mOff + i] + oneMinusBeta1 * gi;
            float vi = beta2 * v[vOff + i] + oneMinusBeta2 * (gi * gi);
            m[mOff + i] = mi;
            v[vOff + i] = vi;
            float denom = (float) Math.sqrt(vi) / sqrtBc2 + eps;
            p[pOff + i] = w - step * (mi / denom);
        }
    }
}
