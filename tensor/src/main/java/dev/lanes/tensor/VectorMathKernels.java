package dev.lanes.tensor;

/**
 * The elementwise kernels behind {@link VectorMath}: one scalar twin ({@link VectorMathScalar})
 * and one SIMD implementation ({@code dev.lanes.tensor.simd.VectorMathSimd}). Every method works
 * on {@code n} elements starting at the given offsets; outputs may alias inputs element for
 * element (in-place use), never with a shift.
 *
 * <p>Kernels built from IEEE add, multiply, divide, square root and max round every lane
 * exactly as the scalar code does, so both implementations give bit-identical results; only
 * the transcendental ones ({@link #tanh}, {@link #sigmoid}) may differ by a few ulps.
 */
public interface VectorMathKernels {
    /** {@code y = a + b}. */
    void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y = a - b}. */
    void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y = a * b}. */
    void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y += a * b} (multiply, then add: not fused). */
    void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n);

    /** {@code y += alpha * x}. */
    void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y = alpha * x}. */
    void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y = x + c}. */
    void addScalar(float c, float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code y = max(x, 0)} ({@link Math#max} semantics: NaN stays NaN). */
    void relu(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code dx += x > 0 ? dy : 0}. */
    void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /**
     * {@code dx = x > 0 ? 0 + dy : 0}: {@link #reluBackward} into a zeroed {@code dx}, bit for bit
     * ({@code 0 + dy} turns a negative zero positive), without reading {@code dx}.
     */
    void reluBackwardSet(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /** {@code y = tanh(x)}. */
    void tanh(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code dx += dy * (1 - y * y)} where {@code y = tanh(x)}. */
    void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /** {@code y = 1 / (1 + exp(-x))}. */
    void sigmoid(float[] x, int xOff, float[] y, int yOff, int n);

    /** {@code dx += dy * y * (1 - y)} where {@code y = sigmoid(x)}. */
    void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n);

    /**
     * One SGD step with PyTorch's semantics on {@code n} parameters: {@code d = g + wd * p};
     * with momentum, {@code buf = first ? d : momentum * buf + (1 - dampening) * d} and
     * {@code d = nesterov ? d + momentum * buf : buf}; then {@code p -= lr * d}.
     * {@code buf} is unused (may be null) when {@code momentum == 0}.
     */
    void sgdStep(float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff, int n,
                 float lr, float momentum, float dampening, float weightDecay, boolean nesterov, boolean first);

    /**
     * One Adam step with PyTorch's semantics: with {@code decoupled} (AdamW)
     * {@code p *= 1 - lr * wd}, else {@code g += wd * p}; {@code m = b1 * m + (1 - b1) * g},
     * {@code v = b2 * v + (1 - b2) * g * g},
     * {@code p -= (lr / bc1) * m / (sqrt(v) / sqrtBc2 + eps)} with {@code bc1 = 1 - b1^t} and
     * {@code sqrtBc2 = sqrt(1 - b2^t)}. The caller passes {@code 1 - b1} and {@code 1 - b2}
     * computed in double: in float, {@code 1 - 0.999f} is off by 5e-5 relative.
     */
    void adamStep(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int n,
                  float lr, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float eps,
                  float weightDecay, boolean decoupled, float bc1, float sqrtBc2);

    /** {@code y = alpha * x + beta}. */
    void scaleShift(float alpha, float beta, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code y = 0 + (alpha * a + beta * b + gamma)}: {@link #addAffine2} into a zeroed {@code y},
     * bit for bit, without reading {@code y}.
     */
    void affine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                 float[] y, int yOff, int n);

    /** {@code y += alpha * a + beta * b + gamma}. */
    void addAffine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                    float[] y, int yOff, int n);

    /** The sum of {@code x[0, n)} (the SIMD version sums lane-wise, then across lanes). */
    float sum(float[] x, int xOff, int n);

    /** {@code sum of (x - mean)^2}. */
    float sumSquaredDeviation(float[] x, int xOff, float mean, int n);

    /** {@code sum of a * (b - mean)}. */
    float dotCentered(float[] a, int aOff, float[] b, int bOff, float mean, int n);
}
