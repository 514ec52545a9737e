package dev.lanes.nn.data;

import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class DataLoaderTest {
    /** {@code n} images of 1x4x4 whose pixel k of image i is (i * 13 + k) & 0xFF, label i % 10. */
    private static ByteImageDataset numbered(int n) {
        byte[] pixels = new byte[n * 16];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 16; k++) {
                pixels[i * 16 + k] = (byte) (i * 13 + k);
            }
            labels[i] = (byte) (i % 10);
        }
        return new ByteImageDataset("numbered", 1, 4, 4, pixels, labels, SyntheticDigits.CLASS_NAMES);
    }

    private static DataLoader.Builder augmented(Dataset ds) {
        return DataLoader.builder(ds).batchSize(8).seed(42)
                .transforms(new RandomCrop(4, 1), new HorizontalFlip(), new Normalize(new float[] {0.5f},
                        new float[] {0.25f}));
    }

    /** Every batch of an epoch, copied: images, labels and indices. */
    private static List<String> collect(DataLoader loader, int epoch) {
        List<String> out = new ArrayList<>();
        try (DataLoader.Epoch batches = loader.epoch(epoch)) {
            for (Batch b : batches) {
                out.add(Arrays.toString(b.images().toArray()) + Arrays.toString(b.labels())
                        + Arrays.toString(b.indices()));
            }
        }
        return out;
    }

    @Test
    void sameSeedGivesTheSameBatchesWithOrWithoutTheBackgroundThread() {
        Dataset ds = numbered(77);
        try (DataLoader sync = augmented(ds).prefetch(0).build();
                DataLoader async = augmented(ds).prefetch(1).build();
                DataLoader deep = augmented(ds).prefetch(4).build()) {
            for (int epoch = 0; epoch < 3; epoch++) {
                List<String> expected = collect(sync, epoch);
                assertEquals(expected, collect(async, epoch), "epoch " + epoch);
                assertEquals(expected, collect(deep, epoch), "epoch " + epoch);
            }
        }
    }

    @Test
    void everySampleAppearsExactlyOncePerEpochInAFreshOrder() {
        Dataset ds = numbered(103);
        DataLoader loader = DataLoader.builder(ds).batchSize(10).seed(7).build();
        int[] previous = null;
        for (int epoch = 0; epoch < 3; epoch++) {
            int[] seen = new int[103];
            int[] order = new int[103];
            int pos = 0;
            try (DataLoader.Epoch batches = loader.epoch(epoch)) {
                for (Batch b : batches) {
                    for (int k = 0; k < b.size(); k++) {
                        int i = b.indices()[k];
                        seen[i]++;
                        order[pos++] = i;
                        assertEquals(i % 10, b.labels()[k]);
                        assertEquals(((i * 13 + 5) & 0xFF) / 255f, b.images().get(k, 0, 1, 1), 0f);
                    }
                }
            }
            assertEquals(103, pos);
            for (int i = 0; i < 103; i++) {
                assertEquals(1, seen[i], "sample " + i + " in epoch " + epoch);
            }
            assertArrayEquals(loader.order(epoch), order);
            assertFalse(Arrays.equals(previous, order), "epoch " + epoch + " reuses the previous order");
            previous = order;
        }
        int[] natural = DataLoader.builder(ds).shuffle(false).build().order(5);
        for (int i = 0; i < natural.length; i++) {
            assertEquals(i, natural[i]);
        }
        assertFalse(Arrays.equals(loader.order(0), DataLoader.builder(ds).seed(8).build().order(0)),
                "another seed shuffles differently");
    }

    @Test
    void lastPartialBatchIsKeptOrDropped() {
        Dataset ds = numbered(23);
        DataLoader keep = DataLoader.builder(ds).batchSize(10).build();
        assertEquals(3, keep.batchesPerEpoch());
        assertEquals(23, keep.samplesPerEpoch());
        try (DataLoader.Epoch e = keep.epoch(0)) {
            e.next();
            e.next();
            Batch last = e.next();
            assertEquals(3, last.size());
            assertArrayEquals(new int[] {3, 1, 4, 4}, last.images().shape());
            assertEquals(3, last.labels().length);
            assertFalse(e.hasNext());
        }
        DataLoader drop = DataLoader.builder(ds).batchSize(10).dropLast(true).build();
        assertEquals(2, drop.batchesPerEpoch());
        assertEquals(20, drop.samplesPerEpoch());
        assertEquals(2, collect(drop, 0).size());
    }

    @Test
    void augmentationDependsOnSeedEpochAndSampleNotOnBatching() {
        Dataset ds = numbered(40);
        DataLoader small = augmented(ds).batchSize(3).build();
        DataLoader large = augmented(ds).batchSize(16).prefetch(2).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            assertEquals(samplesByIndex(small, epoch), samplesByIndex(large, epoch));
        }
        Map<Integer, String> e0 = samplesByIndex(small, 0);
        Map<Integer, String> e1 = samplesByIndex(small, 1);
        int changed = 0;
        for (int i = 0; i < 40; i++) {
            changed += e0.get(i).equals(e1.get(i)) ? 0 : 1;
        }
        assertTrue(changed > 20, "augmentation changes between epochs for most samples, got " + changed);
    }

    @Test
    void transformsRunInOrderAndMatchAHandComputedSample() {
        Dataset ds = numbered(5);
        DataLoader loader = DataLoader.builder(ds).batchSize(5).shuffle(false)
                .transforms(new Pad(2), new Normalize(new float[] {0.5f}, new float[] {0.5f})).build();
        assertArrayEquals(new int[] {1, 8, 8}, loader.sampleShape());
        try (DataLoader.Epoch e = loader.epoch(0)) {
            Tensor images = e.next().images();
            assertArrayEquals(new int[] {5, 1, 8, 8}, images.shape());
            assertEquals(-1f, images.get(2, 0, 0, 0), 0f); // padding 0 normalised: (0 - 0.5) / 0.5
            float raw = ((2 * 13 + 1 * 4 + 3) & 0xFF) / 255f; // sample 2, row 1, column 3
            assertEquals((raw - 0.5f) / 0.5f, images.get(2, 0, 3, 5), 1e-6f);
        }
    }

    @Test
    void aFailureInTheBackgroundThreadReachesTheConsumer() {
        float marker = ((33 * 13) & 0xFF) / 255f; // first pixel of sample 33
        Transform failing = new Transform() {
            @Override
            public int[] outputShape(int[] in) {
                return in.clone();
            }

            @Override
            public void apply(float[] src, int srcOff, int[] in, float[] dst, int dstOff, SplittableRandom rnd) {
                if (src[srcOff] == marker) {
                    throw new IllegalStateException("sample 33 is broken");
                }
                System.arraycopy(src, srcOff, dst, dstOff, 16);
            }
        };
        DataLoader loader = DataLoader.builder(numbered(50)).batchSize(4).shuffle(false).transforms(failing).build();
        DataLoader.Epoch e = loader.epoch(0);
        for (int b = 0; b < 8; b++) {
            e.next();
        }
        IllegalStateException err = assertThrows(IllegalStateException.class, e::next);
        assertEquals("sample 33 is broken", err.getMessage());
        assertFalse(e.hasNext(), "the epoch is closed after a failure");
        assertEquals(0, liveLoaderThreads());
    }

    @Test
    void closingMidEpochStopsTheBackgroundThread() throws InterruptedException {
        DataLoader loader = DataLoader.builder(numbered(500)).batchSize(4).prefetch(3).build();
        DataLoader.Epoch e = loader.epoch(0);
        e.next();
        Thread.sleep(20);
        assertEquals(1, liveLoaderThreads());
        e.close();
        assertEquals(0, liveLoaderThreads());
        assertThrows(IllegalStateException.class, e::next);
        // Opening the next epoch closes an abandoned one.
        loader.epoch(1).next();
        loader.epoch(2).next();
        assertEquals(1, liveLoaderThreads());
        loader.close();
        assertEquals(0, liveLoaderThreads());
    }

    @Test
    void batchBuffersAreReused() {
        DataLoader loader = DataLoader.builder(numbered(100)).batchSize(10).prefetch(2).build();
        Map<float[], Boolean> arrays = new IdentityHashMap<>();
        Map<int[], Boolean> labels = new IdentityHashMap<>();
        for (int epoch = 0; epoch < 2; epoch++) {
            try (DataLoader.Epoch e = loader.epoch(epoch)) {
                for (Batch b : e) {
                    arrays.put(b.images().data(), true);
                    labels.put(b.labels(), true);
                }
            }
        }
        assertTrue(arrays.size() <= 3, arrays.size() + " image buffers for prefetch 2");
        assertTrue(labels.size() <= 3, labels.size() + " label buffers for prefetch 2");
    }

    @Test
    void steadyStateAllocatesOnlySmallObjectsPerSample() {
        // prefetch 0 fills batches on this thread, so its allocation counter sees everything.
        DataLoader plain = DataLoader.builder(numbered(2000)).batchSize(50).prefetch(0)
                .transforms(new Normalize(new float[] {0.5f}, new float[] {0.5f})).build();
        DataLoader random = augmented(numbered(2000)).batchSize(50).prefetch(0).build();
        for (DataLoader loader : List.of(plain, random)) {
            drain(loader, 0);
            long before = allocatedBytes();
            drain(loader, 1);
            long perSample = (allocatedBytes() - before - 2000 * 4) / 2000; // minus the epoch's permutation
            long bound = loader == plain ? 1 : 64; // one small generator per sample with random transforms
            assertTrue(perSample <= bound, perSample + " bytes allocated per sample");
        }
    }

    private static void drain(DataLoader loader, int epoch) {
        try (DataLoader.Epoch e = loader.epoch(epoch)) {
            while (e.hasNext()) {
                e.next();
            }
        }
    }

    private static Map<Integer, String> samplesByIndex(DataLoader loader, int epoch) {
        Map<Integer, String> out = new java.util.TreeMap<>();
        int sample = loader.sampleShape()[0] * loader.sampleShape()[1] * loader.sampleShape()[2];
        try (DataLoader.Epoch e = loader.epoch(epoch)) {
            for (Batch b : e) {
                float[] data = b.images().toArray();
                for (int k = 0; k < b.size(); k++) {
                    out.put(b.indices()[k], Arrays.toString(Arrays.copyOfRange(data, k * sample, (k + 1) * sample)));
                }
            }
        }
        return out;
    }

    private static long liveLoaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("lanes-data-loader") && t.isAlive()).count();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
