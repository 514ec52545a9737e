package dev.lanes.zoo.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** LeNet-5 weights from one short synthetic run, shared by the eval and predict tests of this JVM. */
final class TrainedFixture {
    private static Path weights;

    private TrainedFixture() {
    }

    static synchronized Path weights() {
        if (weights == null) {
            try {
                Path dir = Files.createTempDirectory("lanes-fixture");
                dir.toFile().deleteOnExit();
                CliRun r = CliRun.of("train", "lenet5", "--dataset", "synthetic-digits", "--limit-train", "1920",
                        "--limit-test", "64", "--epochs", "2", "--batch-size", "32", "--lr", "0.05", "--out",
                        dir.toString());
                if (r.code() != 0) {
                    throw new AssertionError("training the fixture failed: " + r);
                }
                weights = dir.resolve("model.safetensors");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return weights;
    }
}
