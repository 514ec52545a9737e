package dev.lanes.nn.train;

import java.nio.file.Path;

/** Told what a {@link Trainer} does, for progress display and logs. Every method has an empty default. */
public interface TrainListener {
    /** An epoch (counted from 1) starts, or resumes after {@code firstBatch} batches. */
    default void epochStarted(int epoch, int epochs, int batches, int firstBatch) {
    }

    /** A step finished; {@code p} is reused, read it now. */
    default void step(StepProgress p) {
    }

    /** Training steps of the epoch are done; the evaluation on {@code images} test images starts. */
    default void evaluating(int epoch, int images) {
    }

    default void epochFinished(EpochMetrics metrics) {
    }

    /** A checkpoint was written; {@code file} is its JSON file. */
    default void checkpointSaved(Path file, boolean endOfEpoch) {
    }

    /** A step was skipped because its loss or a gradient was not finite ({@code Trainer.Builder.skipNonFinite}). */
    default void stepSkipped(NonFiniteLossException reason) {
    }

    /** Training stopped early on request (e.g. Ctrl-C); {@code checkpoint} is null when none was written. */
    default void stopped(int epoch, int batch, long step, Path checkpoint) {
    }
}
