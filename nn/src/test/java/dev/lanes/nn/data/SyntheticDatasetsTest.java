package dev.lanes.nn.data;

import dev.lanes.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;

class SyntheticDatasetsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void sameSeedGivesTheSameBytesOnAnyThreadCount() {
        for (IntFunction<ByteImageDataset> gen : generators(7)) {
            Parallel.setThreads(1);
            ByteImageDataset one = gen.apply(300);
            Parallel.setThreads(3);
            ByteImageDataset three = gen.apply(300);
            assertSameSamples(one, 0, three, 0, 300);
        }
    }

    @Test
    void anyIndexRangeReproducesTheSameSamples() {
        ByteImageDataset all = SyntheticDigits.generate(11, 0, 200);
        ByteImageDataset part = SyntheticDigits.generate(11, 150, 30);
        assertSameSamples(all, 150, part, 0, 30);
        ByteImageDataset allC = SyntheticCifar.generate(11, 0, 200);
        ByteImageDataset partC = SyntheticCifar.generate(11, 37, 20);
        assertSameSamples(allC, 37, partC, 0, 20);
    }

    @Test
    void differentSeedsGiveDifferentImages() {
        ByteImageDataset a = SyntheticDigits.generate(1, 0, 50);
        ByteImageDataset b = SyntheticDigits.generate(2, 0, 50);
        int same = 0;
        for (int i = 0; i < 50; i++) {
            same += Arrays.equals(bytes(a, i), bytes(b, i)) ? 1 : 0;
        }
        assertEquals(0, same);
    }

    @Test
    void labelsAreBalancedInEveryBlockOfTen() {
        for (ByteImageDataset ds : new ByteImageDataset[] {SyntheticDigits.generate(3, 0, 1000),
                SyntheticCifar.generate(3, 0, 1000)}) {
            for (int block = 0; block < 100; block++) {
                Set<Integer> seen = new HashSet<>();
                for (int i = 0; i < 10; i++) {
                    seen.add(ds.label(block * 10 + i));
                }
                assertEquals(10, seen.size(), "block " + block + " of " + ds.name());
            }
            // ... but not in a fixed cycle: the order changes from block to block.
            assertFalse(Arrays.equals(labelsOf(ds, 0, 10), labelsOf(ds, 10, 10)));
        }
    }

    @Test
    void imagesHaveTheAdvertisedShapesAndUseTheRange() {
        ByteImageDataset digits = SyntheticDigits.generate(5, 0, 100);
        assertArrayEquals(new int[] {1, 28, 28}, digits.imageShape());
        ByteImageDataset cifar = SyntheticCifar.generate(5, 0, 100);
        assertArrayEquals(new int[] {3, 32, 32}, cifar.imageShape());
        for (int i = 0; i < 100; i++) {
            int[] d = bytes(digits, i);
            int max = Arrays.stream(d).max().orElseThrow();
            long ink = Arrays.stream(d).filter(v -> v > 128).count();
            assertTrue(max >= 180, "digit " + i + " has ink (max " + max + ")");
            assertTrue(ink > 10 && ink < 400, "digit " + i + " covers a plausible area: " + ink);
            assertEquals(0, d[0], "corner of digit " + i + " is background");
        }
    }

    @Test
    void trainAndTestSplitsShareNoImage() throws Exception {
        Dataset train = Datasets.open(Datasets.SYNTHETIC_DIGITS, Split.TRAIN, null, 500);
        Dataset test = Datasets.open(Datasets.SYNTHETIC_DIGITS, Split.TEST, null, 500);
        Set<String> seen = new HashSet<>();
        float[] buf = new float[train.sampleSize()];
        for (int i = 0; i < train.size(); i++) {
            train.read(i, buf, 0);
            seen.add(Arrays.toString(buf));
        }
        for (int i = 0; i < test.size(); i++) {
            test.read(i, buf, 0);
            assertFalse(seen.contains(Arrays.toString(buf)), "test image " + i + " is also in train");
        }
    }

    /**
     * Learnable but not trivial: 1-nearest-neighbour on raw pixels, a weak classifier, must do
     * far better than chance (10%), while class means alone must not solve the task. For scale,
     * with 2000 training images real MNIST gives about 0.88 (1-NN) and 0.77 (class means); a
     * small CNN reaches 99% on synthetic digits and over 90% on synthetic cifar (see README).
     */
    @Test
    void classesAreLearnableButNotByTemplates() {
        double[] digits = scores(SyntheticDigits.generate(21, 0, 2000), SyntheticDigits.generate(22, 0, 300));
        assertTrue(digits[1] > 0.75, "1-NN accuracy on synthetic digits " + digits[1]);
        assertTrue(digits[0] < 0.75, "class-mean accuracy on synthetic digits " + digits[0]);
        double[] cifar = scores(SyntheticCifar.generate(21, 0, 1000), SyntheticCifar.generate(22, 0, 200));
        assertTrue(cifar[1] > 0.2, "1-NN accuracy on synthetic cifar " + cifar[1]);
        assertTrue(cifar[0] < 0.4, "class-mean accuracy on synthetic cifar " + cifar[0]);
    }

    @Test
    void fewThousandImagesAreGeneratedWellUnderASecond() {
        SyntheticDigits.generate(99, 0, 500); // warm up the code paths
        SyntheticCifar.generate(99, 0, 500);
        long t0 = System.nanoTime();
        SyntheticDigits.generate(100, 0, 5000);
        long t1 = System.nanoTime();
        SyntheticCifar.generate(100, 0, 5000);
        long t2 = System.nanoTime();
        // Typically ~0.1-0.3 s each on 2 cores; the bound is loose because the machine is shared.
        assertTrue((t1 - t0) / 1e9 < 3, "5000 synthetic digits took " + (t1 - t0) / 1e9 + " s");
        assertTrue((t2 - t1) / 1e9 < 3, "5000 synthetic cifar images took " + (t2 - t1) / 1e9 + " s");
    }

    /** {class-mean accuracy, 1-NN accuracy} of {@code test} against {@code train}. */
    private static double[] scores(Dataset train, Dataset test) {
        int d = train.sampleSize();
        float[][] x = new float[train.size()][d];
        int[] y = new int[train.size()];
        double[][] mean = new double[10][d];
        int[] count = new int[10];
        for (int i = 0; i < train.size(); i++) {
            y[i] = train.read(i, x[i], 0);
            count[y[i]]++;
            for (int k = 0; k < d; k++) {
                mean[y[i]][k] += x[i][k];
            }
        }
        for (int c = 0; c < 10; c++) {
            for (int k = 0; k < d; k++) {
                mean[c][k] /= count[c];
            }
        }
        float[] q = new float[d];
        int byMean = 0;
        int byNeighbour = 0;
        for (int j = 0; j < test.size(); j++) {
            int label = test.read(j, q, 0);
            int best = -1;
            double bestD = Double.MAX_VALUE;
            for (int c = 0; c < 10; c++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    double t = q[k] - mean[c][k];
                    s += t * t;
                }
                if (s < bestD) {
                    bestD = s;
                    best = c;
                }
            }
            byMean += best == label ? 1 : 0;
            bestD = Double.MAX_VALUE;
            for (int i = 0; i < x.length; i++) {
                float s = 0;
                for (int k = 0; k < d; k++) {
                    float t = q[k] - x[i][k];
                    s += t * t;
                }
                if (s < bestD) {
                    bestD = s;
                    best = y[i];
                }
            }
            byNeighbour += best == label ? 1 : 0;
        }
        return new double[] {byMean / (double) test.size(), byNeighbour / (double) test.size()};
    }

    private static List<IntFunction<ByteImageDataset>> generators(long seed) {
        return List.of(n -> SyntheticDigits.generate(seed, 0, n), n -> SyntheticCifar.generate(seed, 0, n));
    }

    private static void assertSameSamples(ByteImageDataset a, int aFirst, ByteImageDataset b, int bFirst, int n) {
        for (int i = 0; i < n; i++) {
            assertEquals(a.label(aFirst + i), b.label(bFirst + i), "label of sample " + (aFirst + i));
            assertArrayEquals(bytes(a, aFirst + i), bytes(b, bFirst + i), "pixels of sample " + (aFirst + i));
        }
    }

    private static int[] bytes(ByteImageDataset ds, int i) {
        int[] out = new int[ds.sampleSize()];
        for (int k = 0; k < out.length; k++) {
            out[k] = ds.pixel(i, k);
        }
        return out;
    }

    private static int[] labelsOf(Dataset ds, int first, int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = ds.label(first + i);
        }
        return out;
    }
}
