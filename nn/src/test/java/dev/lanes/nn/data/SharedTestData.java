package dev.lanes.nn.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data sets of the development workspace for tests that use them when present:
 * {@code -Dlanes.test.data=DIR}, else {@code shared/data} beside the checkout.
 */
public final class SharedTestData {
    private SharedTestData() {
    }

    /** The data folder, or null when there is none (the test is then skipped). */
    public static Path dir() {
        String prop = System.getProperty("lanes.test.data");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        // Tests run in a module folder (nn/, zoo/); the workspace keeps shared/ beside the checkout.
        for (Path p : new Path[] {Path.of("..", "..", "shared", "data"), Path.of("..", "shared", "data")}) {
            if (Files.isDirectory(p)) {
                return p.toAbsolutePath().normalize();
            }
        }
        return null;
    }
}
