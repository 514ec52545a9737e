package dev.lanes.nn.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The MNIST file layout, shared by Fashion-MNIST: four IDX files with canonical names
 * ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-...}), each
 * plain or {@code .gz}, in one folder. Images are 28x28 grey levels, labels 0-9.
 */
public final class Mnist {
    public static final int SIDE = 28;
    public static final int CLASSES = 10;

    private Mnist() {
    }

    /** Canonical name (without {@code .gz}) of the image file of a split. */
    public static String imagesFile(Split split) {
        return prefix(split) + "-images-idx3-ubyte";
    }

    /** Canonical name (without {@code .gz}) of the label file of a split. */
    public static String labelsFile(Split split) {
        return prefix(split) + "-labels-idx1-ubyte";
    }

    private static String prefix(Split split) {
        return split == Split.TRAIN ? "train" : "t10k";
    }

    /**
     * Reads one split from {@code folder}: the first {@code limit} samples (all when
     * {@code limit < 0}). The label file is read first, so a count mismatch is found before
     * the image data is allocated.
     *
     * @throws NoSuchFileException when a file is missing (neither plain nor {@code .gz})
     * @throws dev.lanes.nn.io.CorruptFileException when a file is malformed
     */
    public static ByteImageDataset load(Path folder, Split split, String name, List<String> classNames, int limit)
            throws IOException {
        Path labelsPath = require(folder, labelsFile(split));
        Path imagesPath = require(folder, imagesFile(split));
        IdxReader.Labels labels = IdxReader.readLabels(labelsPath, classNames.size(), limit);
        IdxReader.Images images = IdxReader.readImages(imagesPath, SIDE, SIDE, labels.declaredCount(), labelsPath,
                limit);
        return new ByteImageDataset(name, 1, SIDE, SIDE, images.pixels(), labels.labels(), classNames);
    }

    private static Path require(Path folder, String name) throws NoSuchFileException {
        Path p = DataFile.locate(folder, name);
        if (p == null) {
            throw new NoSuchFileException(folder.resolve(name + ".gz").toString(), null, "not found (nor "
                    + name + ")");
        }
        return p;
    }
}
