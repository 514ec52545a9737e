package dev.lanes.nn.data;

import dev.lanes.nn.io.CorruptFileException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The CIFAR-10 binary version: {@code data_batch_1.bin} to {@code data_batch_5.bin} (training)
 * and {@code test_batch.bin} (test), each plain or {@code .gz}, each exactly 10,000 records of
 * one label byte and 3,072 pixel bytes (the red, green and blue 32x32 planes), which is already
 * the channel-major layout of a sample. The files may sit in the folder itself or in the
 * {@code cifar-10-batches-bin/} sub-folder that the official archive unpacks to.
 */
public final class Cifar10 {
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;
    public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
    public static final int RECORDS_PER_FILE = 10_000;
    /** The folder the official archive {@code cifar-10-binary.tar.gz} unpacks to. */
    public static final String ARCHIVE_FOLDER = "cifar-10-batches-bin";
    public static final List<String> CLASS_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog",
            "frog", "horse", "ship", "truck");

    private Cifar10() {
    }

    /** Canonical file names (without {@code .gz}) of a split, in order. */
    public static List<String> files(Split split) {
        if (split == Split.TEST) {
            return List.of("test_batch.bin");
        }
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            names.add("data_batch_" + i + ".bin");
        }
        return List.copyOf(names);
    }

    /** {@code folder}, or its {@code cifar-10-batches-bin/} sub-folder when only that holds the files. */
    static Path filesFolder(Path folder) {
        Path sub = folder.resolve(ARCHIVE_FOLDER);
        if (DataFile.locate(folder, "test_batch.bin") == null && DataFile.locate(sub, "test_batch.bin") != null) {
            return sub;
        }
        if (DataFile.locate(folder, "data_batch_1.bin") == null && DataFile.locate(sub, "data_batch_1.bin") != null) {
            return sub;
        }
        return folder;
    }

    /**
     * Reads one split from {@code folder}: the first {@code limit} samples (all when
     * {@code limit < 0}); only as many files are opened as the limit needs.
     *
     * @throws NoSuchFileException when a needed file is missing (neither plain nor {@code .gz})
     * @throws CorruptFileException when a file is malformed
     */
    public static ByteImageDataset load(Path folder, Split split, String name, int limit) throws IOException {
        Path dir = filesFolder(folder);
        List<String> names = files(split);
        int total = names.size() * RECORDS_PER_FILE;
        int n = limit < 0 ? total : Math.min(limit, total);
        byte[] pixels = new byte[n * IMAGE_BYTES];
        byte[] labels = new byte[n];
        for (int f = 0; f * RECORDS_PER_FILE < n; f++) {
            Path file = DataFile.locate(dir, names.get(f));
            if (file == null) {
                throw new NoSuchFileException(dir.resolve(names.get(f)).toString(), null, "not found (nor "
                        + names.get(f) + ".gz)");
            }
            int first = f * RECORDS_PER_FILE;
            readBatch(file, pixels, labels, first, Math.min(RECORDS_PER_FILE, n - first));
        }
        return new ByteImageDataset(name, CHANNELS, SIDE, SIDE, pixels, labels, CLASS_NAMES);
    }

    /**
     * Reads the first {@code count} records of one batch file into sample slots
     * {@code first ..} of {@code pixels} and {@code labels}. When all records are read the
     * file must end right after them.
     */
    static void readBatch(Path file, byte[] pixels, byte[] labels, int first, int count) throws IOException {
        long expected = (long) RECORDS_PER_FILE * RECORD_BYTES;
        try (DataFile in = DataFile.open(file)) {
            long size = in.knownSize();
            if (size >= 0 && size != expected) {
                throw in.corrupt(Math.min(size, expected), "file has " + size + " bytes, expected " + expected
                        + " (" + RECORDS_PER_FILE + " records of " + RECORD_BYTES + " bytes)"
                        + (size < expected ? "; truncated?" : ""));
            }
            byte[] record = new byte[RECORD_BYTES];
            for (int r = 0; r < count; r++) {
                long at = in.offset();
                in.readFully(record, 0, RECORD_BYTES, "record " + r + " of " + RECORDS_PER_FILE);
                int label = record[0] & 0xFF;
                if (label >= CLASS_NAMES.size()) {
                    throw in.corrupt(at, "label " + label + " of record " + r + " is out of range 0.."
                            + (CLASS_NAMES.size() - 1));
                }
                labels[first + r] = record[0];
                System.arraycopy(record, 1, pixels, (first + r) * IMAGE_BYTES, IMAGE_BYTES);
            }
            if (count == RECORDS_PER_FILE) {
                in.expectEnd("record " + (RECORDS_PER_FILE - 1) + ", the last of a batch file");
            }
        }
    }

    /** True when {@code folder} (or its archive sub-folder) holds every file of the split. */
    static boolean hasFiles(Path folder, Split split) {
        Path dir = filesFolder(folder);
        for (String name : files(split)) {
            if (DataFile.locate(dir, name) == null) {
                return false;
            }
        }
        return Files.isDirectory(dir);
    }
}
