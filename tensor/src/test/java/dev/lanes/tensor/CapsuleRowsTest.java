package dev.lanes.tensor;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The SIMD capsule-row kernels against their scalar twin on row lengths around the vector length, with offsets. */
class CapsuleRowsTest {
    private static final int[] ROWS = {1, 3, 10};
    private static final int[] LENGTHS = {1, 5, 8, 15, 16, 17, 33};
    private static final int[] OFFSETS = {0, 3};

    private static float[] random(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextDouble() * 4 - 2);
        }
        return a;
    }

    @Test
    void simdKernelsAreLoadedWhenSimdIsOn() {
        assertTrue(CapsuleRows.kernels() != CapsuleRows.scalar() || !Vectorization.enabled());
    }

    @Test
    void scaledRowsAddMatchesTheScalarTwinBitForBitAndLeavesTheRestAlone() {
        for (int rows : ROWS) {
            for (int n : LENGTHS) {
                for (int off : OFFSETS) {
                    int size = off + rows * n + 5;
                    float[] alpha = random(1, off + rows), x = random(2, size), y = random(3, size);
                    float[] ys = y.clone(), yv = y.clone();
                    CapsuleRows.scalar().scaledRowsAdd(alpha, off, x, off, ys, off, rows, n);
                    CapsuleRows.kernels().scaledRowsAdd(alpha, off, x, off, yv, off, rows, n);
                    assertArrayEquals(ys, yv, rows + "x" + n + " off " + off);
                    for (int i = 0; i < size; i++) {
                        boolean inside = i >= off && i < off + rows * n;
                        if (inside) {
                            int r = (i - off) / n;
                            assertEquals(y[i] + alpha[off + r] * x[i], ys[i], 0f, "element " + i);
                        } else {
                            assertEquals(y[i], ys[i], 0f, "outside the rows, element " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void rowDotsMatchTheScalarTwinAndTheDefinition() {
        for (int rows : ROWS) {
            for (int n : LENGTHS) {
                for (int off : OFFSETS) {
                    int size = off + rows * n;
                    float[] a = random(4, size), b = random(5, size + 2);
                    float[] outS = random(6, off + rows + 2), outV = outS.clone(), before = outS.clone();
                    CapsuleRows.scalar().rowDots(a, off, b, off + 2, outS, off, rows, n);
                    CapsuleRows.kernels().rowDots(a, off, b, off + 2, outV, off, rows, n);
                    for (int r = 0; r < rows; r++) {
                        double want = 0;
                        for (int k = 0; k < n; k++) {
                            want += (double) a[off + r * n + k] * b[off + 2 + r * n + k];
                        }
                        assertEquals(want, outS[off + r], 1e-5 * n, "scalar row " + r);
                        assertEquals(outS[off + r], outV[off + r], 1e-5f * n, rows + "x" + n + " row " + r);
                    }
                    for (int i = 0; i < off; i++) {
                        assertEquals(before[i], outV[i], 0f);
                    }
                    assertEquals(before[off + rows], outV[off + rows], 0f);
                }
            }
        }
    }
}
