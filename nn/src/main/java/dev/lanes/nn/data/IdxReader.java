package dev.lanes.nn.data;

import dev.lanes.nn.io.CorruptFileException;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (plain or {@code .gz}): a big-endian
 * magic number {@code 0x000008DD} (unsigned bytes, DD dimensions), the dimension sizes, then
 * the data. Images are 3-dimensional (count, rows, columns), labels 1-dimensional.
 */
public final class IdxReader {
    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    private static final int IMAGES_HEADER = 16;
    private static final int LABELS_HEADER = 8;

    private IdxReader() {
    }

    /** Images as read: {@code count} images of {@code rows x cols} unsigned bytes, one after another. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    /** Labels as read: the count the header declares and the first (up to limit) labels. */
    public record Labels(int declaredCount, byte[] labels) {
    }

    /**
     * Reads the labels of an IDX label file: at most {@code limit} of them (all when
     * {@code limit < 0}), each checked to be below {@code numClasses}.
     */
    public static Labels readLabels(Path file, int numClasses, int limit) throws IOException {
        try (DataFile in = DataFile.open(file)) {
            int magic = in.readInt("the magic number");
            if (magic != LABELS_MAGIC) {
                throw in.corrupt(0, badMagic(magic, LABELS_MAGIC, "labels"));
            }
            int count = in.readInt("the label count");
            if (count < 0) {
                throw in.corrupt(4, "negative label count " + count);
            }
            checkPlainSize(in, LABELS_HEADER + (long) count, count + " labels");
            int n = limit < 0 ? count : Math.min(count, limit);
            byte[] labels = in.readBytes(n, count + " labels");
            for (int i = 0; i < n; i++) {
                if ((labels[i] & 0xFF) >= numClasses) {
                    throw in.corrupt(LABELS_HEADER + i, "label " + (labels[i] & 0xFF) + " of item " + i
                            + " is out of range 0.." + (numClasses - 1));
                }
            }
            if (n == count) {
                in.expectEnd("the last label");
            }
            return new Labels(count, labels);
        }
    }

    /**
     * Reads an IDX image file whose images must be {@code rows x cols}: at most {@code limit}
     * images (all when {@code limit < 0}). When {@code expectedCount >= 0} the header's count
     * must equal it (the label file's count) and is checked before any image is read.
     */
    public static Images readImages(Path file, int rows, int cols, int expectedCount, Path labelsFile, int limit)
            throws IOException {
        try (DataFile in = DataFile.open(file)) {
            int magic = in.readInt("the magic number");
            if (magic != IMAGES_MAGIC) {
                throw in.corrupt(0, badMagic(magic, IMAGES_MAGIC, "images"));
            }
            int count = in.readInt("the image count");
            if (count < 0) {
                throw in.corrupt(4, "negative image count " + count);
            }
            int r = in.readInt("the row count");
            int c = in.readInt("the column count");
            if (r != rows || c != cols) {
                throw in.corrupt(8, "images are " + r + "x" + c + ", expected " + rows + "x" + cols);
            }
            if (expectedCount >= 0 && count != expectedCount) {
                throw in.corrupt(4, "holds " + count + " images but " + labelsFile.getFileName() + " holds "
                        + expectedCount + " labels");
            }
            long imageBytes = (long) rows * cols;
            checkPlainSize(in, IMAGES_HEADER + count * imageBytes, count + " images of " + rows + "x" + cols);
            int n = limit < 0 ? count : Math.min(count, limit);
            byte[] pixels = in.readBytes(n * imageBytes, count + " images of " + rows + "x" + cols);
            if (n == count) {
                in.expectEnd("the last image");
            }
            return new Images(n, rows, cols, pixels);
        }
    }

    /** A plain file's size must be exactly what its header declares; checked before allocating. */
    private static void checkPlainSize(DataFile in, long expected, String what) throws CorruptFileException {
        long size = in.knownSize();
        if (size < 0) {
            return;
        }
        if (size < expected) {
            throw in.corrupt(size, "file ends after " + size + " bytes but its header declares " + what + " ("
                    + expected + " bytes; truncated?)");
        }
        if (size > expected) {
            throw in.corrupt(expected, "file has " + (size - expected) + " unexpected bytes after " + what);
        }
    }

    private static String badMagic(int magic, int expected, String what) {
        String hint = (magic >>> 16) == 0x1F8B ? "; the file is gzip-compressed but not named .gz" : "";
        return String.format("bad magic number 0x%08X, expected 0x%08X (IDX %s)%s", magic, expected, what, hint);
    }
}
