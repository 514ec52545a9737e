package dev.lanes.nn.data;

import java.util.List;
import java.util.Objects;

/** The first {@code size} samples of another data set (what {@link Dataset#limit} returns). */
final class LimitedDataset implements Dataset {
    private final Dataset source;
    private final int size;

    LimitedDataset(Dataset source, int size) {
        this.source = Objects.requireNonNull(source);
        if (size < 0 || size > source.size()) {
            throw new IllegalArgumentException("limit " + size + " outside [0, " + source.size() + "]");
        }
        this.size = size;
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int channels() {
        return source.channels();
    }

    @Override
    public int height() {
        return source.height();
    }

    @Override
    public int width() {
        return source.width();
    }

    @Override
    public int numClasses() {
        return source.numClasses();
    }

    @Override
    public List<String> classNames() {
        return source.classNames();
    }

    @Override
    public int label(int index) {
        return source.label(Objects.checkIndex(index, size));
    }

    @Override
    public int read(int index, float[] dst, int offset) {
        return source.read(Objects.checkIndex(index, size), dst, offset);
    }

    @Override
    public String toString() {
        return source + " (first " + size + ")";
    }
}
