package dev.lanes.zoo.cli;

import dev.lanes.tensor.Parallel;
import picocli.CommandLine.Option;

/** {@code --threads T}: the size of Lanes' thread pool for this command. */
final class ThreadsOption {
    @Option(names = "--threads", paramLabel = "T",
            description = "Threads for the kernels (default: $LANES_THREADS, else the number of processors).")
    Integer threads;

    /** Applies the option (if given) and returns the thread count in use. */
    int apply() {
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
            }
            Parallel.setThreads(threads);
        }
        return Parallel.threads();
    }
}
