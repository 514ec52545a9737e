package dev.lanes.nn.data;

import java.util.List;
import java.util.Objects;

/**
 * Images kept compactly in memory as unsigned bytes (one byte per pixel and channel,
 * channel-major per image) with one byte per label; converted to floats in {@code [0, 1]}
 * only when a sample is read. MNIST's 60,000 images take 47 MB this way instead of 188 MB.
 * The arrays are owned by the data set and never modified after construction.
 */
public final class ByteImageDataset implements Dataset {
    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final int sampleSize;
    private final int size;
    private final byte[] pixels;
    private final byte[] labels;
    private final List<String> classNames;

    /**
     * @param pixels {@code size * C * H * W} bytes (the array is kept, not copied)
     * @param labels {@code size} labels, each in {@code [0, classNames.size())} (kept, not copied)
     */
    public ByteImageDataset(String name, int channels, int height, int width, byte[] pixels, byte[] labels,
            List<String> classNames) {
        this(name, channels, height, width, pixels, labels, labels.length, classNames);
    }

    private ByteImageDataset(String name, int channels, int height, int width, byte[] pixels, byte[] labels,
            int size, List<String> classNames) {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("bad image shape [" + channels + ", " + height + ", " + width + "]");
        }
        this.name = Objects.requireNonNull(name);
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.sampleSize = channels * height * width;
        this.size = size;
        this.classNames = List.copyOf(classNames);
        if ((long) size * sampleSize > pixels.length || size > labels.length) {
            throw new IllegalArgumentException(size + " samples of shape [" + channels + ", " + height + ", " + width
                    + "] need " + (long) size * sampleSize + " pixel bytes and " + size + " labels, got "
                    + pixels.length + " and " + labels.length);
        }
        int classes = this.classNames.size();
        for (int i = 0; i < size; i++) {
            if ((labels[i] & 0xFF) >= classes) {
                throw new IllegalArgumentException("label " + (labels[i] & 0xFF) + " of sample " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        this.pixels = pixels;
        this.labels = labels;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return height;
    }

    @Override
    public int width() {
        return width;
    }

    @Override
    public int numClasses() {
        return classNames.size();
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int label(int index) {
        return labels[Objects.checkIndex(index, size)] & 0xFF;
    }

    @Override
    public int read(int index, float[] dst, int offset) {
        Objects.checkIndex(index, size);
        Objects.checkFromIndexSize(offset, sampleSize, dst.length);
        int src = index * sampleSize;
        for (int k = 0; k < sampleSize; k++) {
            dst[offset + k] = (pixels[src + k] & 0xFF) / 255f;
        }
        return labels[index] & 0xFF;
    }

    /** Raw pixel byte {@code k} (channel-major) of sample {@code index}, 0-255. */
    public int pixel(int index, int k) {
        Objects.checkIndex(index, size);
        return pixels[index * sampleSize + Objects.checkIndex(k, sampleSize)] & 0xFF;
    }

    @Override
    public Dataset limit(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + n);
        }
        return n >= size ? this : new ByteImageDataset(name, channels, height, width, pixels, labels, n, classNames);
    }

    @Override
    public String toString() {
        return name + ": " + size + " images [" + channels + ", " + height + ", " + width + "], "
                + classNames.size() + " classes";
    }
}
