package dev.lanes.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The reference every fast GEMM is tested against, checked on products worked out by hand. */
class GemmReferenceTest {
    // A = [1 2 3; 4 5 6], B = [7 8; 9 10; 11 12], A*B = [58 64; 139 154]
    private static final float[] A = {1, 2, 3, 4, 5, 6};
    private static final float[] A_T = {1, 4, 2, 5, 3, 6};
    private static final float[] B = {7, 8, 9, 10, 11, 12};
    private static final float[] B_T = {7, 9, 11, 8, 10, 12};
    private static final float[] AB = {58, 64, 139, 154};

    @Test
    void multipliesSmallMatricesInAllFourTransposeCombinations() {
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
            float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
            GemmReference.sgemm(ta, tb, 2, 2, 3, 1f, ta ? A_T : A, 0, ta ? 2 : 3, tb ? B_T : B, 0, tb ? 3 : 2,
                    0f, c, 0, 2);
            assertArrayEquals(AB, c, "transA=" + ta + " transB=" + tb);
        }
    }

    @Test
    void appliesAlphaAndBeta() {
        float[] c = {1, 2, 3, 4};
        GemmReference.sgemm(false, false, 2, 2, 3, 2f, A, 0, 3, B, 0, 2, -1f, c, 0, 2);
        assertArrayEquals(new float[] {115, 126, 275, 304}, c);
    }

    @Test
    void honoursOffsetsAndLeadingDimensions() {
        // A inside a 2 x 5 array at offset 1, C inside a 2 x 4 array at offset 2.
        float[] a = {-1, 1, 2, 3, -1, -1, 4, 5, 6, -1, -1};
        float[] c = new float[10];
        java.util.Arrays.fill(c, -9f);
        GemmReference.sgemm(false, false, 2, 2, 3, 1f, a, 1, 5, B, 0, 2, 0f, c, 2, 4);
        assertArrayEquals(new float[] {-9, -9, 58, 64, -9, -9, 139, 154, -9, -9}, c);
    }

    @Test
    void emptyInnerDimensionGivesBetaTimesC() {
        float[] c = {1, 2};
        GemmReference.sgemm(false, false, 1, 2, 0, 1f, new float[0], 0, 1, new float[0], 0, 2, 3f, c, 0, 2);
        assertArrayEquals(new float[] {3, 6}, c);
    }
}
