package dev.lanes.nn.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Builds data files for the reader tests: IDX and CIFAR records, plain or gzip. */
final class TestFiles {
    private TestFiles() {
    }

    /** An IDX image file of {@code count} images of rows x cols, pixel k of image i = (i * 7 + k) & 0xFF. */
    static byte[] idxImages(int magic, int count, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * rows * cols);
        b.putInt(magic).putInt(count).putInt(rows).putInt(cols);
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < rows * cols; k++) {
                b.put((byte) (i * 7 + k));
            }
        }
        return b.array();
    }

    /** An IDX label file whose label i is {@code i % 10}. */
    static byte[] idxLabels(int magic, int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(magic).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    /** {@code count} CIFAR records: label {@code (r * 3) % 10}, pixel k = (r + k) & 0xFF. */
    static byte[] cifarRecords(int count) {
        byte[] out = new byte[count * Cifar10.RECORD_BYTES];
        for (int r = 0; r < count; r++) {
            int base = r * Cifar10.RECORD_BYTES;
            out[base] = (byte) ((r * 3) % 10);
            for (int k = 0; k < Cifar10.IMAGE_BYTES; k++) {
                out[base + 1 + k] = (byte) (r + k);
            }
        }
        return out;
    }

    static byte[] gzip(byte[] data) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
                gz.write(data);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] cut(byte[] data, int length) {
        return Arrays.copyOf(data, length);
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        Files.createDirectories(dir);
        return Files.write(dir.resolve(name), data);
    }

    /** Writes the four MNIST files of {@code count} train and test images into {@code dir}, plain or gzipped. */
    static void writeMnist(Path dir, int count, boolean gz) throws IOException {
        for (Split split : Split.values()) {
            byte[] images = idxImages(IdxReader.IMAGES_MAGIC, count, 28, 28);
            byte[] labels = idxLabels(IdxReader.LABELS_MAGIC, count);
            write(dir, Mnist.imagesFile(split) + (gz ? ".gz" : ""), gz ? gzip(images) : images);
            write(dir, Mnist.labelsFile(split) + (gz ? ".gz" : ""), gz ? gzip(labels) : labels);
        }
    }
}
