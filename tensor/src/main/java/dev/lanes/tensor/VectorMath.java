package dev.lanes.tensor;

/**
 * Elementwise math for the hot paths of training (activations, gradient accumulation,
 * optimizer updates). Each call runs the SIMD kernels when they are enabled
 * ({@link Vectorization}), else their scalar twin, and splits long ranges into fixed chunks of
 * {@link #CHUNK} elements that run on {@link Parallel}. Chunk boundaries depend only on
 * {@code n}, never on the thread count, so results are the same on any number of threads.
 */
public final class VectorMath {
    /** Elements per parallel task: 64 KiB of floats, a multiple of every vector length. */
    public static final int CHUNK = 1 << 14;

    private static final VectorMathKernels SCALAR = new VectorMathScalar();
    private static final VectorMathKernels K =
            Vectorization.load(VectorMathKernels.class, "dev.lanes.tensor.simd.VectorMathSimd", SCALAR);

    private VectorMath() {
    }

    /** The kernels in use (SIMD or scalar). */
    public static VectorMathKernels kernels() {
        return K;
    }

    /** The scalar twin, whatever is in use. */
    public static VectorMathKernels scalar() {
        return SCALAR;
    }

    @FunctionalInterface
    private interface Chunk {
        void run(int start, int len);
    }

    /** Runs {@code body} over {@code [0, n)} in fixed chunks of {@link #CHUNK}, in parallel when there are several. */
    private static void chunked(int n, Chunk body) {
        if (n <= CHUNK) {
            body.run(0, n);
            return;
        }
        int chunks = (n + CHUNK - 1) / CHUNK;
        Parallel.parallelFor(chunks, 1, (c0, c1) -> {
            for (int c = c0; c < c1; c++) {
                int start = c * CHUNK;
                body.run(start, Math.min(CHUNK, n - start));
            }
        });
    }

    public static void add(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.add(a, aOff + s, b, bOff + s, y, yOff + s, len));
    }

    public static void sub(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.sub(a, aOff + s, b, bOff + s, y, yOff + s, len));
    }

    public static void mul(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.mul(a, aOff + s, b, bOff + s, y, yOff + s, len));
    }

    public static void mulAdd(float[] a, int aOff, float[] b, int bOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.mulAdd(a, aOff + s, b, bOff + s, y, yOff + s, len));
    }

    public static void axpy(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.axpy(alpha, x, xOff + s, y, yOff + s, len));
    }

    public static void scale(float alpha, float[] x, int xOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.scale(alpha, x, xOff + s, y, yOff + s, len));
    }

    public static void addScalar(float c, float[] x, int xOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.addScalar(c, x, xOff + s, y, yOff + s, len));
    }

    public static void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.relu(x, xOff + s, y, yOff + s, len));
    }

    public static void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        chunked(n, (s, len) -> K.reluBackward(x, xOff + s, dy, dyOff + s, dx, dxOff + s, len));
    }

    /** See {@link VectorMathKernels#reluBackwardSet}. */
    public static void reluBackwardSet(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        chunked(n, (s, len) -> K.reluBackwardSet(x, xOff + s, dy, dyOff + s, dx, dxOff + s, len));
    }

    public static void tanh(float[] x, int xOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.tanh(x, xOff + s, y, yOff + s, len));
    }

    public static void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        chunked(n, (s, len) -> K.tanhBackward(y, yOff + s, dy, dyOff + s, dx, dxOff + s, len));
    }

    public static void sigmoid(float[] x, int xOff, float[] y, int yOff, int n) {
        chunked(n, (s, len) -> K.sigmoid(x, xOff + s, y, yOff + s, len));
    }

    public static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        chunked(n, (s, len) -> K.sigmoidBackward(y, yOff + s, dy, dyOff + s, dx, dxOff + s, len));
    }

    /** See {@link VectorMathKernels#sgdStep}. */
    public static void sgdStep(float[] p, int pOff, float[] g, int gOff, float[] buf, int bufOff, int n,
                               float lr, float momentum, float dampening, float weightDecay,
                               boolean nesterov, boolean first) {
        chunked(n, (s, len) -> K.sgdStep(p, pOff + s, g, gOff + s, buf, bufOff + s, len,
                lr, momentum, dampening, weightDecay, nesterov, first));
    }

    /** See {@link VectorMathKernels#adamStep}. */
    public static void adamStep(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff,
                                int n, float lr, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2,
                                float eps, float weightDecay, boolean decoupled, float bc1, float sqrtBc2) {
        chunked(n, (s, len) -> K.adamStep(p, pOff + s, g, gOff + s, m, mOff + s, v, vOff + s, len,
                lr, beta1, oneMinusBeta1, beta2, oneMinusBeta2, eps, weightDecay, decoupled, bc1, sqrtBc2));
    }

    // ---- row kernels: no chunking, for callers that already split the work ---------------

    /** {@code y = alpha * x + beta}. */
    public static void scaleShift(float alpha, float beta, float[] x, int xOff, float[] y, int yOff, int n) {
        K.scaleShift(alpha, beta, x, xOff, y, yOff, n);
    }

    /** {@code y = 0 + (alpha * a + beta * b + gamma)}, see {@link VectorMathKernels#affine2}. */
    public static void affine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                               float[] y, int yOff, int n) {
        K.affine2(alpha, a, aOff, beta, b, bOff, gamma, y, yOff, n);
    }

    /** {@code y += alpha * a + beta * b + gamma}. */
    public static void addAffine2(float alpha, float[] a, int aOff, float beta, float[] b, int bOff, float gamma,
                                  float[] y, int yOff, int n) {
        K.addAffine2(alpha, a, aOff, beta, b, bOff, gamma, y, yOff, n);
    }

    /** Sum of a row; its rounding depends on the kernel, but the same row always gives the same bits. */
    public static float sum(float[] x, int xOff, int n) {
        return K.sum(x, xOff, n);
    }

    public static float sumSquaredDeviation(float[] x, int xOff, float mean, int n) {
        return K.sumSquaredDeviation(x, xOff, mean, n);
    }

    public static float dotCentered(float[] a, int aOff, float[] b, int bOff, float mean, int n) {
        return K.dotCentered(a, aOff, b, bOff, mean, n);
    }
}
