package dev.lanes.nn.data;

import dev.lanes.nn.io.CorruptFileException;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens data sets by name: {@code mnist}, {@code fashion-mnist}, {@code cifar10} (read from the
 * data directory) and {@code synthetic-digits}, {@code synthetic-cifar} (generated, no files).
 * A missing real file gives a {@link DatasetMissingException}, a malformed one a
 * {@link CorruptFileException}; both name the file and say how to get the data. Nothing here
 * falls back silently to another data set: that decision belongs to the caller.
 */
public final class Datasets {
    public static final String MNIST = "mnist";
    public static final String FASHION_MNIST = "fashion-mnist";
    public static final String CIFAR10 = "cifar10";
    public static final String SYNTHETIC_DIGITS = SyntheticDigits.NAME;
    public static final String SYNTHETIC_CIFAR = SyntheticCifar.NAME;

    /** Seed of the built-in synthetic sets; the test split uses another seed, so the splits share no image. */
    public static final long SYNTHETIC_SEED = 0x4C414E4553L;
    public static final int SYNTHETIC_DIGITS_TRAIN = 60_000;
    public static final int SYNTHETIC_DIGITS_TEST = 10_000;
    public static final int SYNTHETIC_CIFAR_TRAIN = 50_000;
    public static final int SYNTHETIC_CIFAR_TEST = 10_000;

    public static final List<String> FASHION_CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final List<String> NAMES = List.of(MNIST, FASHION_MNIST, CIFAR10, SYNTHETIC_DIGITS, SYNTHETIC_CIFAR);

    private Datasets() {
    }

    /** All names {@link #open} accepts. */
    public static List<String> names() {
        return NAMES;
    }

    public static boolean isKnown(String name) {
        return NAMES.contains(name);
    }

    /** True for the generated sets, which need no files. */
    public static boolean isSynthetic(String name) {
        return SYNTHETIC_DIGITS.equals(name) || SYNTHETIC_CIFAR.equals(name);
    }

    /** The synthetic set with the same image shape and class count: what to train on when a real set is absent. */
    public static String syntheticStandIn(String name) {
        return switch (require(name)) {
            case MNIST, FASHION_MNIST, SYNTHETIC_DIGITS -> SYNTHETIC_DIGITS;
            default -> SYNTHETIC_CIFAR;
        };
    }

    /** {@code [C, H, W]} of the named set's images. */
    public static int[] imageShape(String name) {
        return switch (require(name)) {
            case MNIST, FASHION_MNIST, SYNTHETIC_DIGITS -> new int[] {1, 28, 28};
            default -> new int[] {3, 32, 32};
        };
    }

    /** The sub-folder of the data directory that holds a real set ({@code mnist}, {@code fashion-mnist}, {@code cifar-10}). */
    public static String folderName(String name) {
        return switch (require(name)) {
            case MNIST -> "mnist";
            case FASHION_MNIST -> "fashion-mnist";
            case CIFAR10 -> "cifar-10";
            default -> throw new IllegalArgumentException(name + " is generated and has no folder");
        };
    }

    /** Canonical names (without {@code .gz}) of the files of one split of a real set. */
    public static List<String> fileNames(String name, Split split) {
        return switch (require(name)) {
            case MNIST, FASHION_MNIST -> List.of(Mnist.imagesFile(split), Mnist.labelsFile(split));
            case CIFAR10 -> Cifar10.files(split);
            default -> List.of();
        };
    }

    /**
     * The files of a split that are absent from the data directory (neither plain nor
     * {@code .gz}); empty when the split is present, and always empty for synthetic sets.
     * Presence says nothing about content: {@link #open} checks that.
     */
    public static List<Path> missingFiles(String name, Split split, Path dataDir) {
        if (isSynthetic(require(name))) {
            return List.of();
        }
        Path folder = dataDir.resolve(folderName(name));
        Path dir = CIFAR10.equals(name) ? Cifar10.filesFolder(folder) : folder;
        List<Path> missing = new ArrayList<>();
        for (String file : fileNames(name, split)) {
            if (DataFile.locate(dir, file) == null) {
                missing.add(dir.resolve(file + (CIFAR10.equals(name) ? "" : ".gz")));
            }
        }
        return missing;
    }

    /** True when both splits of the set are in the data directory (always for synthetic sets). */
    public static boolean isPresent(String name, Path dataDir) {
        return missingFiles(name, Split.TRAIN, dataDir).isEmpty() && missingFiles(name, Split.TEST, dataDir).isEmpty();
    }

    /** The whole split. */
    public static Dataset open(String name, Split split, Path dataDir) throws IOException {
        return open(name, split, dataDir, -1);
    }

    /**
     * One split of a data set, only its first {@code limit} samples when {@code limit >= 0}
     * (real files are then read only as far as needed, synthetic images only generated that far).
     *
     * @param dataDir the data directory (see {@link DataDirectory}); unused for synthetic sets
     * @throws DatasetMissingException when a file is absent
     * @throws CorruptFileException when a file is malformed (the message names it and the byte offset)
     * @throws IllegalArgumentException for an unknown name
     */
    public static Dataset open(String name, Split split, Path dataDir, int limit) throws IOException {
        require(name);
        if (isSynthetic(name)) {
            return synthetic(name, split, limit);
        }
        Path folder = dataDir.resolve(folderName(name));
        List<Path> missing = missingFiles(name, split, dataDir);
        if (!missing.isEmpty()) {
            throw new DatasetMissingException(name, missing.get(0).toString(), "not found: " + describe(name)
                    + " is not in the data directory " + dataDir + "; " + howToGet(name));
        }
        try {
            return switch (name) {
                case MNIST -> Mnist.load(folder, split, MNIST, SyntheticDigits.CLASS_NAMES, limit);
                case FASHION_MNIST -> Mnist.load(folder, split, FASHION_MNIST, FASHION_CLASS_NAMES, limit);
                default -> Cifar10.load(folder, split, CIFAR10, limit);
            };
        } catch (CorruptFileException e) {
            throw new CorruptFileException(e.file(), e.offset(), problemOf(e) + "; " + howToGet(name), e);
        } catch (NoSuchFileException e) {
            throw new DatasetMissingException(name, e.getFile(), "not found; " + howToGet(name));
        }
    }

    /** What to tell a user who lacks the data: the fetch command or the data-directory options. */
    public static String howToGet(String name) {
        return "get it with 'lanes fetch " + name + "', or point --data-dir (or " + DataDirectory.ENV
                + ") at a directory with " + folderName(name) + "/ in it";
    }

    private static Dataset synthetic(String name, Split split, int limit) {
        boolean digits = SYNTHETIC_DIGITS.equals(name);
        int full = split == Split.TRAIN
                ? (digits ? SYNTHETIC_DIGITS_TRAIN : SYNTHETIC_CIFAR_TRAIN)
                : (digits ? SYNTHETIC_DIGITS_TEST : SYNTHETIC_CIFAR_TEST);
        int count = limit < 0 ? full : Math.min(limit, full);
        long seed = Seeds.of(SYNTHETIC_SEED, split.ordinal());
        return digits ? SyntheticDigits.generate(seed, 0, count) : SyntheticCifar.generate(seed, 0, count);
    }

    private static String describe(String name) {
        return switch (name) {
            case MNIST -> "MNIST";
            case FASHION_MNIST -> "Fashion-MNIST";
            default -> "CIFAR-10";
        };
    }

    /** The problem part of a CorruptFileException's message (after "file at byte N: "). */
    private static String problemOf(CorruptFileException e) {
        String prefix = e.file() + " at byte " + e.offset() + ": ";
        String m = e.getMessage();
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }

    private static String require(String name) {
        if (name == null || !NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown data set '" + name + "' (known: " + String.join(", ", NAMES)
                    + ")");
        }
        return name;
    }

    /** Lower-cases and accepts {@code cifar-10} for {@code cifar10}; other names pass unchanged. */
    public static String canonicalName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return "cifar-10".equals(n) ? CIFAR10 : n;
    }
}
