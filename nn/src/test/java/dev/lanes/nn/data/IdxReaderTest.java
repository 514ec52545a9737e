package dev.lanes.nn.data;

import dev.lanes.nn.io.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import static dev.lanes.nn.data.IdxReader.IMAGES_MAGIC;
import static dev.lanes.nn.data.IdxReader.LABELS_MAGIC;
import static dev.lanes.nn.data.TestFiles.*;
import static org.junit.jupiter.api.Assertions.*;

class IdxReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path folder = dir.resolve(gz ? "gz" : "plain");
            writeMnist(folder, 25, gz);
            ByteImageDataset ds = Mnist.load(folder, Split.TRAIN, "mnist", SyntheticDigits.CLASS_NAMES, -1);
            assertEquals(25, ds.size());
            assertArrayEquals(new int[] {1, 28, 28}, ds.imageShape());
            for (int i = 0; i < 25; i++) {
                assertEquals(i % 10, ds.label(i));
            }
            assertEquals((3 * 7 + 100) & 0xFF, ds.pixel(3, 100));
            float[] buf = new float[784];
            assertEquals(3, ds.read(13, buf, 0));
            assertEquals(((13 * 7 + 5) & 0xFF) / 255f, buf[5], 0f);
        }
    }

    @Test
    void limitReadsOnlyTheFirstSamples() throws IOException {
        writeMnist(dir, 30, true);
        ByteImageDataset ds = Mnist.load(dir, Split.TEST, "mnist", SyntheticDigits.CLASS_NAMES, 7);
        assertEquals(7, ds.size());
        assertEquals(6, ds.label(6));
    }

    @Test
    void plainFileWinsOverGzipWhenBothExist() throws IOException {
        writeMnist(dir, 5, true);
        writeMnist(dir, 9, false);
        assertEquals(9, Mnist.load(dir, Split.TRAIN, "mnist", SyntheticDigits.CLASS_NAMES, -1).size());
    }

    @Test
    void badMagicIsReportedAtOffsetZero() throws IOException {
        Path f = write(dir, "imgs", idxImages(0x00000804, 3, 28, 28));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(f, 28, 28, -1, f, -1));
        assertEquals(f, e.file());
        assertEquals(0, e.offset());
        assertTrue(e.getMessage().contains("0x00000804"), e.getMessage());
        Path labels = write(dir, "labels", idxLabels(IMAGES_MAGIC, 3));
        assertEquals(0, assertThrows(CorruptFileException.class,
                () -> IdxReader.readLabels(labels, 10, -1)).offset());
    }

    @Test
    void gzipContentUnderAPlainNameGetsAHint() throws IOException {
        Path f = write(dir, "train-images-idx3-ubyte", gzip(idxImages(IMAGES_MAGIC, 2, 28, 28)));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(f, 28, 28, -1, f, -1));
        assertTrue(e.getMessage().contains("gzip-compressed"), e.getMessage());
    }

    @Test
    void wrongDimensionsAreRejected() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            byte[] data = idxImages(IMAGES_MAGIC, 2, 28, 30);
            Path f = write(dir, "imgs" + (gz ? ".gz" : ""), gz ? gzip(data) : data);
            CorruptFileException e = assertThrows(CorruptFileException.class,
                    () -> IdxReader.readImages(f, 28, 28, -1, f, -1));
            assertEquals(8, e.offset());
            assertTrue(e.getMessage().contains("28x30"), e.getMessage());
        }
    }

    @Test
    void truncatedPlainFileIsCaughtFromItsSizeBeforeReading() throws IOException {
        byte[] full = idxImages(IMAGES_MAGIC, 4, 28, 28);
        Path f = write(dir, "imgs", cut(full, full.length - 100));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(f, 28, 28, -1, f, -1));
        assertEquals(full.length - 100, e.offset());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipContentIsReportedWhereItEnds() throws IOException {
        byte[] full = idxImages(IMAGES_MAGIC, 4, 28, 28);
        Path f = write(dir, "imgs.gz", gzip(cut(full, 16 + 2 * 784 + 10)));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(f, 28, 28, -1, f, -1));
        assertEquals(16 + 2 * 784 + 10, e.offset());
    }

    @Test
    void truncatedGzipStreamIsCorruptNotAnEofError() throws IOException {
        byte[] gz = gzip(idxImages(IMAGES_MAGIC, 40, 28, 28));
        Path f = write(dir, "imgs.gz", cut(gz, gz.length / 2));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(f, 28, 28, -1, f, -1));
        assertTrue(e.offset() > 16 && e.offset() < 16 + 40 * 784, "offset " + e.offset());
    }

    @Test
    void gzipGarbageIsCorrupt() throws IOException {
        Path notGzip = write(dir, "a.gz", "this is not gzip at all".getBytes());
        assertEquals(0, assertThrows(CorruptFileException.class,
                () -> IdxReader.readLabels(notGzip, 10, -1)).offset());
        byte[] gz = gzip(idxLabels(LABELS_MAGIC, 2000));
        for (int i = 20; i < gz.length - 8; i += 7) {
            gz[i] ^= 0x5A;
        }
        Path damaged = write(dir, "b.gz", gz);
        assertThrows(CorruptFileException.class, () -> IdxReader.readLabels(damaged, 10, -1));
    }

    @Test
    void labelOutOfRangeNamesItsOffset() throws IOException {
        byte[] labels = idxLabels(LABELS_MAGIC, 20);
        labels[8 + 13] = 10;
        for (boolean gz : new boolean[] {false, true}) {
            Path f = write(dir, "labels" + (gz ? ".gz" : ""), gz ? gzip(labels) : labels);
            CorruptFileException e = assertThrows(CorruptFileException.class, () -> IdxReader.readLabels(f, 10, -1));
            assertEquals(8 + 13, e.offset());
            assertTrue(e.getMessage().contains("label 10"), e.getMessage());
        }
    }

    @Test
    void countMismatchBetweenImagesAndLabelsIsCaughtBeforeReadingImages() throws IOException {
        Path folder = dir.resolve("mnist");
        writeMnist(folder, 10, false);
        write(folder, Mnist.labelsFile(Split.TRAIN), idxLabels(LABELS_MAGIC, 9));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Mnist.load(folder, Split.TRAIN, "mnist", SyntheticDigits.CLASS_NAMES, -1));
        assertEquals(folder.resolve(Mnist.imagesFile(Split.TRAIN)), e.file());
        assertEquals(4, e.offset());
        assertTrue(e.getMessage().contains("10 images") && e.getMessage().contains("9 labels"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] labels = idxLabels(LABELS_MAGIC, 5);
        byte[] longer = cut(labels, labels.length + 3);
        Path plain = write(dir, "labels", longer);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> IdxReader.readLabels(plain, 10, -1));
        assertEquals(labels.length, e.offset());
        Path gz = write(dir, "labels.gz", gzip(longer));
        assertEquals(labels.length, assertThrows(CorruptFileException.class,
                () -> IdxReader.readLabels(gz, 10, -1)).offset());
    }

    @Test
    void forgedHugeCountFailsWithoutAllocatingIt() throws IOException {
        // A header declaring 2,000,000 images (1.5 GB) over a stream holding two.
        byte[] small = idxImages(IMAGES_MAGIC, 2, 28, 28);
        ByteBuffer.wrap(small).putInt(4, 2_000_000);
        Path gz = write(dir, "imgs.gz", gzip(small));
        long before = allocatedBytes();
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(gz, 28, 28, -1, gz, -1));
        long allocated = allocatedBytes() - before;
        assertEquals(16 + 2 * 784, e.offset());
        assertTrue(allocated < 32L << 20, "allocated " + allocated + " bytes");
        Path plain = write(dir, "imgs", small);
        assertEquals(small.length, assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(plain, 28, 28, -1, plain, -1)).offset());
        // More than an array can hold is refused outright.
        ByteBuffer.wrap(small).putInt(4, Integer.MAX_VALUE);
        Path huge = write(dir, "huge.gz", gzip(small));
        assertEquals(16, assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(huge, 28, 28, -1, huge, -1)).offset());
    }

    @Test
    void negativeCountIsCorrupt() throws IOException {
        byte[] labels = idxLabels(LABELS_MAGIC, 2);
        ByteBuffer.wrap(labels).putInt(4, -5);
        Path f = write(dir, "labels", labels);
        assertEquals(4, assertThrows(CorruptFileException.class, () -> IdxReader.readLabels(f, 10, -1)).offset());
    }

    @Test
    void fileShorterThanItsHeaderIsTruncated() throws IOException {
        Path f = write(dir, "imgs", new byte[] {0, 0, 8, 3, 0, 0});
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> IdxReader.readImages(f, 28, 28, -1, f, -1));
        assertEquals(6, e.offset(), "where the file ends");
        Path empty = write(dir, "empty.gz", new byte[0]);
        assertEquals(0, assertThrows(CorruptFileException.class, () -> IdxReader.readLabels(empty, 10, -1)).offset());
    }

    @Test
    void randomDamageGivesOnlyCorruptFileExceptions() throws IOException {
        byte[] images = idxImages(IMAGES_MAGIC, 6, 28, 28);
        byte[] labels = idxLabels(LABELS_MAGIC, 6);
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(2024);
        int failures = 0;
        for (int round = 0; round < 300; round++) {
            boolean gz = round % 2 == 0;
            boolean ofImages = round % 4 < 2;
            byte[] data = (ofImages ? images : labels).clone();
            data = gz ? gzip(data) : data;
            int edits = 1 + rnd.nextInt(4);
            for (int k = 0; k < edits; k++) {
                data[rnd.nextInt(data.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(4) == 0) {
                data = cut(data, rnd.nextInt(data.length));
            }
            Path f = write(dir, "fuzz" + round + (gz ? ".gz" : ""), data);
            try {
                if (ofImages) {
                    IdxReader.readImages(f, 28, 28, -1, f, -1);
                } else {
                    IdxReader.readLabels(f, 10, -1);
                }
            } catch (CorruptFileException e) {
                assertEquals(f, e.file());
                assertTrue(e.offset() >= 0, e.getMessage());
                failures++;
            }
        }
        assertTrue(failures > 100, "most damaged files are caught: " + failures);
    }

    /** Bytes this thread has allocated so far (HotSpot's precise per-thread counter). */
    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
