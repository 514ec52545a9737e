package dev.lanes.zoo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.nn.train.Checkpoint;
import dev.lanes.nn.train.EpochMetrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * JSON lines, one object per epoch ({@code epoch}, {@code train_loss}, {@code train_acc},
 * {@code test_loss}, {@code test_acc}, {@code seconds}, {@code images_per_sec}, {@code lr}, ...).
 * The whole file is rewritten atomically after each epoch, so a reader never sees half a line and
 * a resumed run's file holds the epochs before the interruption too.
 */
final class MetricsFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsFile() {
    }

    static void write(List<EpochMetrics> metrics, Path file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (EpochMetrics m : metrics) {
            out.write(JSON.writeValueAsBytes(m.toJson()));
            out.write('\n');
        }
        Checkpoint.writeAtomically(file, out.toByteArray());
    }
}
