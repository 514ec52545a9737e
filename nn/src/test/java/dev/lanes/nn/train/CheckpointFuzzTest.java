package dev.lanes.nn.train;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanes.nn.io.ReaderFuzzTest;
import dev.lanes.nn.io.ReaderFuzzing;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;

/**
 * Fuzzes the reader of checkpoint metadata (the JSON file of a checkpoint, which {@code lanes
 * train --resume} reads). An input is the JSON file. An accepted file must name its weights
 * and optimizer files beside itself, never elsewhere.
 */
class CheckpointFuzzTest extends ReaderFuzzTest {
    @Override
    protected String target() {
        return "checkpoint";
    }

    @Timeout(10)
    @DictionaryEntries({"\"format\"", "\"lanes-checkpoint\"", "\"version\"", "\"weights\"", "\"optimizer\"",
            "\"epoch\"", "\"batch\"", "\"step\"", "\"seed\"", "\"epochs\"", "\"batches_per_epoch\"",
            "\"images_per_epoch\"", "\"partial\"", "\"loss_sum\"", "\"metrics\"", "\"run\"", "\"train_loss\"", "NaN",
            "-Infinity", "1e400", "9223372036854775808", "\"..\"", "\"a/b\""})
    @FuzzTest(maxDuration = "2s")
    @Override
    protected void fuzz(byte[] input) throws Exception {
        check(input);
    }

    @Override
    protected void check(byte[] input) throws Exception {
        ReaderFuzzing.read("checkpoint-epoch-001.json", input, input.length, file -> {
            Checkpoint c = Checkpoint.read(file);
            for (java.nio.file.Path named : new java.nio.file.Path[] {c.weights(), c.optimizer()}) {
                if (!named.getParent().equals(file.getParent()) || Files.isDirectory(named)) {
                    throw new AssertionError("an accepted checkpoint names " + named + ", not a file beside it");
                }
            }
            if (c.epoch() < 0 || c.batch() < 0 || c.step() < 0 || c.batch() > c.batchesPerEpoch()) {
                throw new AssertionError("an accepted checkpoint has an impossible position: " + c);
            }
        });
    }
}
