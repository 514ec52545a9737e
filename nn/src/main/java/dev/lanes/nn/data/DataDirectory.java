package dev.lanes.nn.data;

import java.nio.file.Path;

/**
 * Where real data sets live: an explicit directory ({@code --data-dir}), else the
 * {@code LANES_DATA} environment variable, else {@code ~/.lanes/data}. Each data set has its
 * own sub-folder ({@code mnist/}, {@code fashion-mnist/}, {@code cifar-10/}).
 */
public final class DataDirectory {
    /** The environment variable naming the data directory. */
    public static final String ENV = "LANES_DATA";

    private DataDirectory() {
    }

    /** The data directory for {@code explicit} (may be null) in this process's environment. */
    public static Path resolve(Path explicit) {
        return resolve(explicit, System.getenv(ENV), System.getProperty("user.home"));
    }

    /** The same, with the environment given (for tests). */
    static Path resolve(Path explicit, String env, String userHome) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env.trim()).toAbsolutePath().normalize();
        }
        return Path.of(userHome, ".lanes", "data").toAbsolutePath().normalize();
    }
}
