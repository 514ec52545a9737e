package dev.lanes.tensor;

/**
 * The scalar twin of {@code simd.VectorMathSimd}: plain loops, the reference the SIMD kernels
 * are tested against. Its exp, tanh and sigmoid are the same float algorithms as the SIMD
 * lanes ({@link #exp}, {@link #tanh(float)}), so both give identical bits.
 */
public final class VectorMathScalar implements VectorMathKernels {
    // Cephes expf: exp(x) = 2^n exp(r), r = x - n ln 2 in two parts, exp(r) by a degree-5 polynomial.
    public static final float EXP_LO = -87f;
    public static final float EXP_HI = 88f;
    public static final float LOG2E = 1.44269504088896341f;
    public static final float LN2_HI = 0.693359375f;
    public static final float LN2_LO = -2.12194440e-4f;
    public static final float[] EXP_P = {1.9875691500e-4f, 1.3981999507e-3f, 8.3334519073e-3f, 4.1665795894e-2f,
            1.6666665459e-1f, 5.0000001201e-1f};
    // Cephes tanhf: an odd polynomial below |x| = 0.625, 1 - 2 / (exp(2|x|) + 1) above.
    public static final float TANH_SWITCH = 0.625f;
    public static final float[] TANH_P = {-5.70498872745e-3f, 2.06390887954e-2f, -5.37397155531e-2f,
            1.33314422036e-1f, -3.33332819422e-1f};

    /**
     * exp(v) with about 1 ulp of error for v in [-87, 88]; the argument is clamped to that range
     * (exp(-87) = 1.6e-38, exp(88) = 1.7e38), NaN stays NaN.
     */
    public static float exp(float v) {
        float x = Math.min(Math.max(v, EXP_LO), EXP_HI);
        float fx = x * LOG2E + 0.5f;
        float t = (float) (int) fx;
        if (t > fx) {
            t = t - 1f;
        }
        float r = x - t * LN2_HI;
        r = r - t * LN2_LO;
        float z = r * r;
        float p = EXP_P[0] * r + EXP_P[1];
        p = p * r + EXP_P[2];
        p = p * r + EXP_P[3];
        p = p * r + EXP_P[4];
        p = p * r + EXP_P[5];
        p = p * z + r + 1f;
        return p * Float.intBitsToFloat(((int) t + 127) << 23);
    }

    /** tanh(v) within a few ulps. */
    public static float tanh(float v) {
        float a = Math.abs(v);
        if (a >= TANH_SWITCH) {
            float s = exp(a + a);
            float big = 1f - 2f / (s + 1f);
            return v < 0f ? -big : big;
        }
        float x2 = v * v;
        float p = TANH_P[0] * x2 + TANH_P[1];
        p = p * x2 + TANH_P[2];
        p = p * x2 + TANH_P[3];
        p = p * x2 + TANH_P[4];
        return p * x2 * v + v;
    }

    /** 1 / (1 + exp(-v)). */
    public static float sigmoid(float v) {
        return 1f / (1f + exp(-v));
    }

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
    public void reluBackwardSet(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = x[xOff + i] > 0f ? 0f + dy[dyOff + i] : 0f;
        }
    }

    @Override
    public void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = tanh(x[xOff + i]);
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
            y[yOff + i] = sigmoid(x[xOff + i]);
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

    @Override
    public void scaleShift(float alpha, float beta, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = alpha * x[xOff + i] + beta;
        }
    }

    @Override
    public void affine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                        float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = 0f + (alpha * a[aOff + i] + beta * b[bOff + i] + gamma);
        }
    }

    @Override
    public void addAffine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                           float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] = y[yOff + i] + (alpha * a[aOff + i] + beta * b[bOff + i] + gamma);
        }
    }

    @Override
    public float sum(float[] x, int xOff, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += x[xOff + i];
        }
        return s;
    }

    @Override
    public float sumSquaredDeviation(float[] x, int xOff, float mean, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            float d = x[xOff + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    public float dotCentered(float[] a, int aOff, float[] b, int bOff, float mean, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += a[aOff + i] * (b[bOff + i] - mean);
        }
        return s;
    }
}
