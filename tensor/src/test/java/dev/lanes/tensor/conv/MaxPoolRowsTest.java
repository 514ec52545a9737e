package dev.lanes.tensor.conv;

import dev.lanes.tensor.Vectorization;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The two-pass max pooling ({@link MaxPoolRows}) with both running-maximum kernels (SIMD and
 * scalar twin) against {@link PoolReference}, values and argmax bit for bit: windows wider than
 * the stride, strides 1 to 3, padding on one axis or both, odd sizes, width or height 1, planes
 * shorter and longer than a vector, at offsets; values with many ties, NaNs (the first one wins),
 * negative zeros (tied with zeros) and infinities (which padding must not beat).
 */
class MaxPoolRowsTest {
    private static final MaxPoolKernel SCALAR = new MaxPoolScalar();
    private static final MaxPoolKernel SIMD =
            Vectorization.load(MaxPoolKernel.class, "dev.lanes.tensor.simd.MaxPoolSimd", SCALAR);

    private static List<PoolShape> shapes() {
        List<PoolShape> out = new ArrayList<>(List.of(
                PoolShape.of(1, 2, 32, 32, 3, 1, 1),    // GoogLeNet's pool branch
                PoolShape.of(1, 2, 16, 16, 3, 2, 1),    // GoogLeNet's and AlexNet's stride-2 pools
                PoolShape.of(1, 3, 8, 8, 3, 1, 1),      // a plane shorter than a 16-lane vector
                PoolShape.of(1, 1, 1, 1, 3, 1, 1),      // one element, all padding around it
                PoolShape.of(2, 1, 1, 37, 3, 1, 1),     // height 1
                PoolShape.of(2, 1, 37, 1, 3, 1, 1),     // width 1
                PoolShape.of(1, 2, 15, 17, 3, 2, 1),    // odd sizes, stride 2
                PoolShape.of(1, 2, 13, 11, 2, 2, 0),    // 2x2 on odd sizes (the last row and column dropped)
                PoolShape.of(1, 1, 40, 40, 5, 3, 2),
                new PoolShape(1, 2, 9, 23, 3, 5, 1, 2, 0, 2),   // padding on one axis, kernel != stride
                new PoolShape(1, 2, 19, 7, 4, 1, 3, 1, 2, 0),   // kernel 4x1, stride 3, padding 2 rows
                new PoolShape(1, 1, 5, 5, 1, 1, 2, 2, 0, 0)));  // 1x1 windows: a subsampling
        SplittableRandom r = new SplittableRandom(21);
        while (out.size() < 60) {
            int kh = 1 + r.nextInt(5), kw = 1 + r.nextInt(5);
            try {
                out.add(new PoolShape(1, 1 + r.nextInt(3), 1 + r.nextInt(40), 1 + r.nextInt(40), kh, kw,
                        1 + r.nextInt(3), 1 + r.nextInt(3), r.nextInt(kh / 2 + 1), r.nextInt(kw / 2 + 1)));
            } catch (IllegalArgumentException empty) {
                // the window does not fit: draw again
            }
        }
        return out;
    }

    /** Coarse values (many ties), NaNs, negative zeros and infinities. */
    private static float[] values(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(40);
            x[i] = k == 0 ? Float.NaN : k == 1 ? -0f : k == 2 ? Float.NEGATIVE_INFINITY
                    : k == 3 ? Float.POSITIVE_INFINITY : k == 4 ? Float.intBitsToFloat(0xffc00000) : r.nextInt(5) - 2;
        }
        return x;
    }

    @Test
    void bothKernelsPoolExactlyAsTheReferenceArgmaxIncluded() {
        SplittableRandom r = new SplittableRandom(22);
        for (PoolShape s : shapes()) {
            int plane = s.h() * s.w(), outPlane = s.outH() * s.outW(), planes = s.n() * s.c();
            int off = 1 + r.nextInt(4);
            float[] x = values(r, off + planes * plane);
            float[] yRef = new float[planes * outPlane];
            int[] aRef = new int[planes * outPlane];
            PoolReference.maxForward(s, x, off, yRef, 0, aRef, 0);
            for (MaxPoolKernel k : new MaxPoolKernel[] {SCALAR, SIMD}) {
                float[] y = new float[off + planes * outPlane + 3];
                int[] a = new int[off + planes * outPlane + 3];
                Arrays.fill(y, 42f);
                Arrays.fill(a, -7);
                for (int p = 0; p < planes; p++) {
                    MaxPoolRows.plane(k, s, x, off + p * plane, y, off + p * outPlane, a, off + p * outPlane);
                }
                String what = k.getClass().getSimpleName() + " " + s;
                assertArrayEquals(bits(yRef), bits(Arrays.copyOfRange(y, off, off + yRef.length)), what);
                assertArrayEquals(aRef, Arrays.copyOfRange(a, off, off + aRef.length), what);
                for (int i : new int[] {0, off - 1, off + yRef.length, y.length - 1}) {
                    assertEquals(42f, y[i], what + ": wrote outside the outputs at " + i);
                    assertEquals(-7, a[i], what + ": wrote outside the indices at " + i);
                }
            }
        }
    }

    @Test
    void theRunningMaximumKernelsAgreeOnEveryLengthAndOffset() {
        SplittableRandom r = new SplittableRandom(23);
        for (int n = 0; n <= 70; n++) {
            int vo = r.nextInt(5), bo = r.nextInt(5);
            float[] v = values(r, vo + n + 2), vIdx = new float[vo + n + 2];
            for (int i = 0; i < vIdx.length; i++) {
                vIdx[i] = 1000 + i;
            }
            float[] best = values(r, bo + n + 2), bestIdx = new float[bo + n + 2];
            float[][] results = new float[2][];
            int i = 0;
            for (MaxPoolKernel k : new MaxPoolKernel[] {SCALAR, SIMD}) {
                float[] b = best.clone(), bi = bestIdx.clone();
                k.maxInto(v, vIdx, vo, b, bi, bo, n);
                float[] both = new float[2 * b.length];
                System.arraycopy(b, 0, both, 0, b.length);
                System.arraycopy(bi, 0, both, b.length, b.length);
                results[i++] = both;
            }
            assertArrayEquals(bits(results[0]), bits(results[1]), "n = " + n);
            for (int j = 0; j < bo; j++) {
                assertEquals(Float.floatToRawIntBits(best[j]), Float.floatToRawIntBits(results[1][j]), "before the range");
            }
            for (int j = bo + n; j < best.length; j++) {
                assertEquals(Float.floatToRawIntBits(best[j]), Float.floatToRawIntBits(results[1][j]), "after the range");
            }
        }
    }

    @Test
    void aPlaneTooLargeForFloatIndicesIsNotTakenByTheTwoPasses() {
        assertTrue(MaxPoolRows.fits(PoolShape.of(1, 1, 4096, 4096, 3, 1, 1)));
        assertFalse(MaxPoolRows.fits(PoolShape.of(1, 1, 4097, 4096, 3, 1, 1)));
    }

    private static int[] bits(float[] a) {
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Float.floatToRawIntBits(a[i]);
        }
        return b;
    }
}
