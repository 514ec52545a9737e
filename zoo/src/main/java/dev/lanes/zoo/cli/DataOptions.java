package dev.lanes.zoo.cli;

import dev.lanes.nn.data.DataDirectory;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --dataset NAME} and {@code --data-dir DIR}, shared by the commands that read a data set. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME",
            description = "mnist, fashion-mnist, cifar10, synthetic-digits or synthetic-cifar (default: the model's, "
                    + "or the one its weights were trained on).")
    String dataset;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory (default: $LANES_DATA, else ~/.lanes/data).")
    Path dataDir;

    /** The data directory in use. */
    Path directory() {
        return DataDirectory.resolve(dataDir);
    }
}
