package dev.lanes.nn.data;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads the real data sets of the development workspace ({@code ../shared/data} next to the
 * repository, or {@code -Dlanes.test.data=DIR}) when they are there; skipped otherwise.
 */
class RealDatasetsTest {
    private static Path requirePresent(String name) {
        Path dir = SharedTestData.dir();
        assumeTrue(dir != null && Datasets.isPresent(name, dir), name + " is not available here");
        return dir;
    }

    @Test
    void mnistHasItsCountsAndFirstLabels() throws IOException {
        Path dir = requirePresent("mnist");
        Dataset train = Datasets.open("mnist", Split.TRAIN, dir);
        assertEquals(60_000, train.size());
        assertArrayEquals(new int[] {5, 0, 4, 1, 9}, firstLabels(train, 5));
        Dataset test = Datasets.open("mnist", Split.TEST, dir);
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {7, 2, 1, 0, 4}, firstLabels(test, 5));
        float[] img = new float[784];
        train.read(0, img, 0);
        assertEquals(0f, img[0]);
        assertEquals(1f, max(img), "the first five has full-intensity ink");
    }

    @Test
    void fashionMnistHasItsCounts() throws IOException {
        Path dir = requirePresent("fashion-mnist");
        assertEquals(60_000, Datasets.open("fashion-mnist", Split.TRAIN, dir).size());
        Dataset test = Datasets.open("fashion-mnist", Split.TEST, dir);
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {9, 2, 1, 1, 6}, firstLabels(test, 5));
    }

    @Test
    void cifar10HasItsCountsAndFirstLabels() throws IOException {
        Path dir = requirePresent("cifar10");
        Dataset train = Datasets.open("cifar10", Split.TRAIN, dir);
        assertEquals(50_000, train.size());
        assertArrayEquals(new int[] {6, 9, 9, 4, 1}, firstLabels(train, 5));
        int[] perClass = new int[10];
        for (int i = 0; i < train.size(); i++) {
            perClass[train.label(i)]++;
        }
        for (int c = 0; c < 10; c++) {
            assertEquals(5_000, perClass[c], "training images of class " + c);
        }
        Dataset test = Datasets.open("cifar10", Split.TEST, dir);
        assertEquals(10_000, test.size());
        assertArrayEquals(new int[] {3, 8, 8, 0, 6}, firstLabels(test, 5));
        assertEquals("frog", train.classNames().get(train.label(0)));
    }

    private static int[] firstLabels(Dataset ds, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = ds.label(i);
        }
        return out;
    }

    private static float max(float[] a) {
        float m = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
