package dev.lanes.nn.data;

import dev.lanes.nn.io.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static dev.lanes.nn.data.TestFiles.*;
import static org.junit.jupiter.api.Assertions.*;

class Cifar10Test {
    private static final int FULL = Cifar10.RECORDS_PER_FILE;

    @TempDir
    Path dir;

    @Test
    void readsAPlainTestBatchInChannelMajorOrder() throws IOException {
        write(dir, "test_batch.bin", cifarRecords(FULL));
        ByteImageDataset ds = Cifar10.load(dir, Split.TEST, "cifar10", -1);
        assertEquals(FULL, ds.size());
        assertArrayEquals(new int[] {3, 32, 32}, ds.imageShape());
        assertEquals((1234 * 3) % 10, ds.label(1234));
        // Pixel k of the record is pixel k of the sample: red plane, then green, then blue.
        assertEquals((1234 + 1024 + 33) & 0xFF, ds.pixel(1234, 1024 + 33));
        assertEquals("cat", ds.classNames().get(3));
    }

    @Test
    void readsGzipBatchesAndStopsAtTheLimit() throws IOException {
        write(dir, "test_batch.bin.gz", gzip(cifarRecords(FULL)));
        assertEquals(FULL, Cifar10.load(dir, Split.TEST, "cifar10", -1).size());
        // With a limit only the first file is opened, and only as far as needed.
        write(dir, "data_batch_1.bin.gz", gzip(cifarRecords(20)));
        ByteImageDataset first = Cifar10.load(dir, Split.TRAIN, "cifar10", 12);
        assertEquals(12, first.size());
        assertEquals((11 * 3) % 10, first.label(11));
    }

    @Test
    void findsFilesInTheArchiveSubfolder() throws IOException {
        write(dir.resolve(Cifar10.ARCHIVE_FOLDER), "test_batch.bin", cifarRecords(FULL));
        assertEquals(FULL, Cifar10.load(dir, Split.TEST, "cifar10", -1).size());
    }

    @Test
    void missingBatchIsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> Cifar10.load(dir, Split.TRAIN, "cifar10", -1));
    }

    @Test
    void truncatedPlainBatchIsRejectedFromItsSize() throws IOException {
        byte[] data = cut(cifarRecords(FULL), FULL * Cifar10.RECORD_BYTES - 5);
        Path f = write(dir, "test_batch.bin", data);
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Cifar10.load(dir, Split.TEST, "cifar10", -1));
        assertEquals(f, e.file());
        assertEquals(data.length, e.offset());
    }

    @Test
    void truncatedGzipBatchIsReportedInsideTheRecordWhereItEnds() throws IOException {
        int at = 3 * Cifar10.RECORD_BYTES + 100;
        write(dir, "test_batch.bin.gz", gzip(cut(cifarRecords(4), at)));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Cifar10.load(dir, Split.TEST, "cifar10", -1));
        assertEquals(at, e.offset());
        assertTrue(e.getMessage().contains("record 3"), e.getMessage());
    }

    @Test
    void labelOutOfRangeIsReportedAtItsRecord() throws IOException {
        byte[] data = cifarRecords(FULL);
        data[7 * Cifar10.RECORD_BYTES] = 10;
        write(dir, "test_batch.bin.gz", gzip(data));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Cifar10.load(dir, Split.TEST, "cifar10", -1));
        assertEquals(7L * Cifar10.RECORD_BYTES, e.offset());
    }

    @Test
    void extraRecordsInAGzipBatchAreRejected() throws IOException {
        write(dir, "test_batch.bin.gz", gzip(cifarRecords(FULL + 1)));
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Cifar10.load(dir, Split.TEST, "cifar10", -1));
        assertEquals((long) FULL * Cifar10.RECORD_BYTES, e.offset());
    }

    @Test
    void gzipGarbageIsCorrupt() throws IOException {
        write(dir, "test_batch.bin.gz", new byte[] {0x1F, (byte) 0x8B, 8, 0, 1, 2, 3, 4, 5, 6, 7});
        assertThrows(CorruptFileException.class, () -> Cifar10.load(dir, Split.TEST, "cifar10", -1));
    }
}
