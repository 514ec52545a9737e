package dev.lanes.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class TensorTest {
    @Test
    void reshapeSharesStorageAndInfersOneDimension() {
        Tensor t = Tensor.zeros(2, 3, 4);
        Tensor v = t.reshape(6, -1);
        assertArrayEquals(new int[] {6, 4}, v.shape());
        v.set(7f, 5, 3);
        assertEquals(7f, t.get(1, 2, 3));
        assertSame(t.data(), v.data());
    }

    @Test
    void reshapeToWrongSizeNamesBothShapes() {
        Tensor t = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 2));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 2]"), e.getMessage());
    }

    @Test
    void copyFromRejectsMismatchedShapesNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(2, 3).copyFrom(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[3, 2]"), e.getMessage());
    }

    @Test
    void getAndSetUseRowMajorOrderFromTheOffset() {
        float[] raw = new float[10];
        Tensor t = Tensor.wrapAt(raw, 4, 2, 3);
        t.set(5f, 1, 0);
        assertEquals(5f, raw[4 + 3]);
        assertEquals(5f, t.at(3));
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrapAt(raw, 5, 2, 3));
    }

    @Test
    void sliceIsAViewOfOneRow() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor row = t.slice(2);
        assertArrayEquals(new float[] {5, 6}, row.toArray());
        row.set(9f, 0);
        assertEquals(9f, t.get(2, 0));
    }

    @Test
    void randomFactoriesAreSeededAndDistributedAsAsked() {
        Tensor a = Tensor.randn(42, 2f, 10_000);
        assertTrue(a.contentEquals(Tensor.randn(42, 2f, 10_000)));
        assertFalse(a.contentEquals(Tensor.randn(43, 2f, 10_000)));
        double mean = 0, sq = 0;
        for (int i = 0; i < a.size(); i++) {
            mean += a.at(i);
            sq += a.at(i) * a.at(i);
        }
        mean /= a.size();
        double std = Math.sqrt(sq / a.size() - mean * mean);
        assertEquals(0, mean, 0.06);
        assertEquals(2, std, 0.06);
        Tensor u = Tensor.uniform(1, -1f, 3f, 5000);
        for (int i = 0; i < u.size(); i++) {
            assertTrue(u.at(i) >= -1f && u.at(i) < 3f);
        }
    }

    @Test
    void factoriesFillAsNamed() {
        assertArrayEquals(new float[] {0, 0}, Tensor.zeros(2).toArray());
        assertArrayEquals(new float[] {1, 1, 1}, Tensor.ones(3).toArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(2.5f, 1, 2).toArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[3], 2, 2));
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(2, -1));
    }

    @Test
    void toStringShowsShapeAndFirstValues() {
        String s = Tensor.of(new float[] {1, 2, 3}, 1, 3).toString();
        assertTrue(s.startsWith("Tensor[1, 3]"), s);
        assertTrue(s.contains("2.000"), s);
        assertTrue(Tensor.zeros(100).toString().contains("92 more"));
    }
}
