package dev.lanes.zoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code lanes train capsnet} with its own recipe (Adam, per-epoch decay, 2-pixel shifts, its
 * custom loss) writes a checkpoint per epoch, and a run resumed from the first one ends with the
 * same weight bytes as the uninterrupted run: what a long accuracy run split over sessions needs.
 */
class CapsNetResumeTest {
    private static final String[] RUN = {"train", "capsnet", "--recipe", "capsnet-mnist", "--dataset", "synthetic-digits", "--limit-train", "48",
        "--limit-test", "16", "--batch-size", "16", "--seed", "4", "--threads", "2"};

    @TempDir
    Path tmp;

    private static String[] with(String... more) {
        String[] all = java.util.Arrays.copyOf(RUN, RUN.length + more.length);
        System.arraycopy(more, 0, all, RUN.length, more.length);
        return all;
    }

    @Test
    void resumingFromTheFirstEpochsCheckpointGivesTheUninterruptedRunsWeights() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun a = CliRun.of(with("--epochs", "2", "--out", whole.toString()));
        assertEquals(0, a.code(), a.toString());
        assertTrue(a.out().contains("recipe capsnet-mnist"), a.out());
        for (String f : List.of("checkpoint-epoch-001.json", "checkpoint-epoch-002.json", "model.safetensors")) {
            assertTrue(Files.isRegularFile(whole.resolve(f)), f);
        }

        Path cut = Files.createDirectories(tmp.resolve("cut"));
        for (String ext : List.of(".json", ".safetensors", ".optim.safetensors")) {
            Files.copy(whole.resolve("checkpoint-epoch-001" + ext), cut.resolve("checkpoint-epoch-001" + ext));
        }
        CliRun b = CliRun.of("train", "capsnet", "--resume", cut.toString(), "--threads", "1");
        assertEquals(0, b.code(), b.toString());
        assertTrue(b.out().contains("resuming from"), b.out());
        assertFalse(b.out().contains("epoch 1: train loss"), "epoch 1 is not trained again");
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
                Files.readAllBytes(cut.resolve("model.safetensors")), "resumed weights differ");
    }
}
