package dev.lanes.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/** The SIMD kernels against their scalar twin on lengths and offsets that are not multiples of the vector length. */
class VectorMathTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 100, 257};
    private static final int[] OFFSETS = {0, 1, 3, 5};
    private static final VectorMathKernels SIMD = VectorMath.kernels();
    private static final VectorMathKernels SCALAR = VectorMath.scalar();

    /** Four arrays with room for any offset; the last is an output/accumulator. */
    private record Bufs(float[] a, float[] b, float[] c, float[] y) {
        Bufs copy() {
            return new Bufs(a.clone(), b.clone(), c.clone(), y.clone());
        }
    }

    private static Bufs random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[][] arrays = new float[4][n + 16];
        for (float[] arr : arrays) {
            for (int i = 0; i < arr.length; i++) {
                arr[i] = (float) (r.nextDouble() * 6 - 3);
            }
        }
        // the second moment of Adam must be non-negative
        for (int i = 0; i < arrays[2].length; i++) {
            arrays[2][i] = Math.abs(arrays[2][i]);
        }
        return new Bufs(arrays[0], arrays[1], arrays[2], arrays[3]);
    }

    private interface Op {
        void run(VectorMathKernels k, Bufs x, int off, int n);
    }

    /** Runs {@code op} with both kernel sets on the same inputs; ulps = 0 demands identical bits. */
    private static void compare(String name, Op op, int ulps) {
        assertTrue(SIMD != SCALAR || !Vectorization.enabled(), "SIMD kernels must be loaded when SIMD is enabled");
        for (int n : LENGTHS) {
            for (int off : OFFSETS) {
                Bufs in = random(31L * n + off, n);
                Bufs s = in.copy();
                Bufs v = in.copy();
                op.run(SCALAR, s, off, n);
                op.run(SIMD, v, off, n);
                for (float[][] pair : new float[][][] {{s.a, v.a}, {s.b, v.b}, {s.c, v.c}, {s.y, v.y}}) {
                    for (int i = 0; i < pair[0].length; i++) {
                        float e = pair[0][i], g = pair[1][i];
                        boolean inside = i >= off && i < off + n;
                        if (!inside || ulps == 0) {
                            assertEquals(Float.floatToIntBits(e), Float.floatToIntBits(g),
                                    name + " n=" + n + " off=" + off + " index " + i + ": scalar " + e + " simd " + g);
                        } else {
                            assertEquals(e, g, ulps * Math.ulp(Math.max(Math.abs(e), 1e-3f)),
                                    name + " n=" + n + " off=" + off + " index " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void exactKernelsMatchTheScalarTwinBitForBit() {
        compare("add", (k, x, o, n) -> k.add(x.a, o, x.b, o + 1, x.y, o, n), 0);
        compare("sub", (k, x, o, n) -> k.sub(x.a, o, x.b, o, x.y, o + 2, n), 0);
        compare("mul", (k, x, o, n) -> k.mul(x.a, o + 1, x.b, o, x.y, o, n), 0);
        compare("mulAdd", (k, x, o, n) -> k.mulAdd(x.a, o, x.b, o + 3, x.y, o, n), 0);
        compare("axpy", (k, x, o, n) -> k.axpy(0.37f, x.a, o + 2, x.y, o, n), 0);
        compare("scale", (k, x, o, n) -> k.scale(-1.7f, x.a, o, x.y, o + 1, n), 0);
        compare("addScalar", (k, x, o, n) -> k.addScalar(0.25f, x.a, o, x.y, o, n), 0);
        compare("relu", (k, x, o, n) -> k.relu(x.a, o, x.y, o + 1, n), 0);
        compare("relu in place", (k, x, o, n) -> k.relu(x.a, o, x.a, o, n), 0);
        compare("reluBackward", (k, x, o, n) -> k.reluBackward(x.a, o, x.b, o + 1, x.y, o, n), 0);
        compare("tanhBackward", (k, x, o, n) -> k.tanhBackward(x.a, o, x.b, o, x.y, o + 2, n), 0);
        compare("sigmoidBackward", (k, x, o, n) -> k.sigmoidBackward(x.a, o + 1, x.b, o, x.y, o, n), 0);
        compare("scaleShift", (k, x, o, n) -> k.scaleShift(1.5f, -0.25f, x.a, o, x.y, o + 1, n), 0);
        compare("addAffine2", (k, x, o, n) -> k.addAffine2(0.5f, x.a, o, -2f, x.b, o + 2, 0.125f, x.y, o, n), 0);
        compare("reluBackwardSet", (k, x, o, n) -> k.reluBackwardSet(x.a, o, x.b, o + 1, x.y, o, n), 0);
        compare("affine2", (k, x, o, n) -> k.affine2(0.5f, x.a, o, -2f, x.b, o + 2, 0.125f, x.y, o, n), 0);
    }

    /** The kernels that overwrite give what the accumulating ones give on zeros, negative zeros and NaNs included. */
    @Test
    void overwritingKernelsEqualAccumulatingIntoZeros() {
        for (VectorMathKernels k : new VectorMathKernels[] {SCALAR, SIMD}) {
            for (int n : LENGTHS) {
                Bufs in = random(91L * n, n);
                for (int i = 0; i < n; i += 5) {
                    in.b[i] = i % 3 == 0 ? -0f : i % 3 == 1 ? Float.NaN : in.b[i];
                    in.a[i + 1] = i % 2 == 0 ? -0f : 0f;
                }
                float[] acc = new float[n + 16], set = new float[n + 16];
                Arrays.fill(set, 42f);
                k.reluBackward(in.a, 0, in.b, 0, acc, 0, n);
                k.reluBackwardSet(in.a, 0, in.b, 0, set, 0, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToRawIntBits(acc[i]), Float.floatToRawIntBits(set[i]), "reluBackwardSet " + i);
                }
                float[] acc2 = new float[n + 16], set2 = new float[n + 16];
                Arrays.fill(set2, 42f);
                k.addAffine2(0f, in.a, 0, 1f, in.b, 0, 0f, acc2, 0, n);
                k.affine2(0f, in.a, 0, 1f, in.b, 0, 0f, set2, 0, n);
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToRawIntBits(acc2[i]), Float.floatToRawIntBits(set2[i]), "affine2 " + i);
                }
                assertEquals(42f, set[n]);
                assertEquals(42f, set2[n]);
            }
        }
    }

    @Test
    void rowReductionsAgreeWithTheScalarTwinWithinRounding() {
        for (int n : LENGTHS) {
            for (int off : OFFSETS) {
                Bufs in = random(77L * n + off, n);
                double sum = 0, sq = 0, dot = 0;
                for (int i = 0; i < n; i++) {
                    sum += in.a[off + i];
                    sq += (in.a[off + i] - 0.3) * (in.a[off + i] - 0.3);
                    dot += in.b[off + 1 + i] * (in.a[off + i] - 0.3);
                }
                double tol = 1e-5 * (n + 1) * 3;
                for (VectorMathKernels k : new VectorMathKernels[] {SCALAR, SIMD}) {
                    assertEquals(sum, k.sum(in.a, off, n), tol, "sum n=" + n);
                    assertEquals(sq, k.sumSquaredDeviation(in.a, off, 0.3f, n), tol * 3, "ssd n=" + n);
                    assertEquals(dot, k.dotCentered(in.b, off + 1, in.a, off, 0.3f, n), tol * 3, "dot n=" + n);
                }
                assertEquals(Float.floatToIntBits(SIMD.sum(in.a, off, n)), Float.floatToIntBits(SIMD.sum(in.a.clone(), off, n)),
                        "a row always sums to the same bits");
            }
        }
    }

    @Test
    void optimizerStepsMatchTheScalarTwinBitForBit() {
        for (boolean nesterov : new boolean[] {false, true}) {
            for (boolean first : new boolean[] {false, true}) {
                compare("sgd nesterov=" + nesterov + " first=" + first, (k, x, o, n) ->
                        k.sgdStep(x.y, o, x.a, o + 1, x.b, o, n, 0.1f, 0.9f, 0.1f, 5e-4f, nesterov, first), 0);
            }
        }
        compare("sgd plain", (k, x, o, n) -> k.sgdStep(x.y, o, x.a, o, null, 0, n, 0.05f, 0f, 0f, 0f, false, false), 0);
        for (boolean decoupled : new boolean[] {false, true}) {
            compare("adam decoupled=" + decoupled, (k, x, o, n) -> k.adamStep(x.y, o, x.a, o + 2, x.b, o, x.c, o + 1, n,
                    1e-3f, 0.9f, 0.1f, 0.999f, 0.001f, 1e-8f, 0.01f, decoupled, 0.19f, (float) Math.sqrt(0.02)), 0);
        }
    }

    @Test
    void transcendentalKernelsMatchTheScalarTwinBitForBit() {
        compare("tanh", (k, x, o, n) -> k.tanh(x.a, o, x.y, o + 1, n), 0);
        compare("sigmoid", (k, x, o, n) -> k.sigmoid(x.a, o + 3, x.y, o, n), 0);
    }

    /** Every float in [lo, hi) in steps of about {@code step}, plus special values. */
    private static float[] sweep(float lo, float hi, float step) {
        int n = (int) ((hi - lo) / step);
        float[] v = new float[n + 6];
        for (int i = 0; i < n; i++) {
            v[i] = lo + i * step;
        }
        float[] special = {0f, -0f, Float.NaN, Float.MIN_VALUE, 1e-30f, -1e-5f};
        System.arraycopy(special, 0, v, n, special.length);
        return v;
    }

    @Test
    void expTanhAndSigmoidAreAccurateToAFewUlps() {
        float[] x = sweep(-30f, 30f, 0.000731f);
        float[] t = new float[x.length], s = new float[x.length];
        SIMD.tanh(x, 0, t, 0, x.length);
        SIMD.sigmoid(x, 0, s, 0, x.length);
        double worstT = 0, worstS = 0, worstE = 0;
        for (int i = 0; i < x.length; i++) {
            if (Float.isNaN(x[i])) {
                assertTrue(Float.isNaN(t[i]) && Float.isNaN(s[i]));
                continue;
            }
            double rt = Math.tanh(x[i]), rs = 1 / (1 + Math.exp(-x[i]));
            worstT = Math.max(worstT, Math.abs(t[i] - rt) / Math.ulp((float) rt));
            worstS = Math.max(worstS, Math.abs(s[i] - rs) / Math.ulp((float) rs));
            if (Math.abs(x[i]) <= 80) {
                double re = Math.exp(x[i]);
                worstE = Math.max(worstE, Math.abs(VectorMathScalar.exp(x[i]) - re) / Math.ulp((float) re));
            }
        }
        assertTrue(worstE <= 1.5, "exp: worst error " + worstE + " ulps");
        assertTrue(worstT <= 2, "tanh: worst error " + worstT + " ulps");
        assertTrue(worstS <= 3, "sigmoid: worst error " + worstS + " ulps");
        System.out.printf("worst errors: exp %.2f, tanh %.2f, sigmoid %.2f ulps%n", worstE, worstT, worstS);
        assertEquals(0f, VectorMathScalar.tanh(-0f));
        assertEquals(1f, VectorMathScalar.tanh(100f));
        assertEquals(0f, VectorMathScalar.sigmoid(-1000f), 1e-37f);
        assertEquals(1f, VectorMathScalar.sigmoid(1000f));
    }

    @Test
    void kernelsComputeWhatTheyPromise() {
        float[] x = {-2f, -0f, 0.5f, 3f, Float.NaN};
        float[] y = new float[5];
        VectorMath.relu(x, 0, y, 0, 5);
        assertArrayEquals(new float[] {0f, 0f, 0.5f, 3f, Float.NaN}, y);
        VectorMath.tanh(new float[] {0f, 1f, -20f}, 0, y, 0, 3);
        assertEquals(0f, y[0]);
        assertEquals(Math.tanh(1), y[1], 1e-6);
        assertEquals(-1f, y[2], 1e-6);
        VectorMath.sigmoid(new float[] {0f, 2f}, 0, y, 0, 2);
        assertEquals(0.5f, y[0], 1e-7);
        assertEquals(1 / (1 + Math.exp(-2)), y[1], 1e-6);
        float[] p = {1f, 2f};
        float[] buf = new float[2];
        VectorMath.sgdStep(p, 0, new float[] {0.5f, -1f}, 0, buf, 0, 2, 0.1f, 0.9f, 0f, 0f, false, true);
        assertArrayEquals(new float[] {0.95f, 2.1f}, p, 1e-7f);
        assertArrayEquals(new float[] {0.5f, -1f}, buf);
    }

    @Test
    void chunkedCallsGiveTheSameBitsOnAnyThreadCount() {
        int n = 3 * VectorMath.CHUNK + 77;
        float[] x = random(5, n).a;
        int before = Parallel.threads();
        float[][] results = new float[3][];
        try {
            for (int t = 1; t <= 3; t++) {
                Parallel.setThreads(t);
                float[] y = new float[n];
                VectorMath.tanh(x, 0, y, 0, n);
                VectorMath.axpy(0.5f, x, 0, y, 0, n);
                results[t - 1] = y;
            }
        } finally {
            Parallel.setThreads(before);
        }
        assertArrayEquals(results[0], results[1]);
        assertArrayEquals(results[0], results[2]);
        float[] ref = new float[n];
        SCALAR.tanh(x, 0, ref, 0, n);
        for (int i = 0; i < n; i++) {
            ref[i] += 0.5f * x[i];
        }
        for (int i = 0; i < n; i += 997) {
            assertEquals(ref[i], results[0][i], 1e-5f);
        }
        assertFalse(Arrays.equals(new float[n], results[0]));
    }
}
