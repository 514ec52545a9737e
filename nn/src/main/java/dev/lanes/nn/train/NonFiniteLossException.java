package dev.lanes.nn.train;

import java.nio.file.Path;

/**
 * The loss became NaN or infinite. Training stops before the step's update, so the weights are
 * those of the previous step, and the checkpoints written so far are kept.
 */
public class NonFiniteLossException extends RuntimeException {
    private final int epoch;
    private final int batch;
    private final long step;
    private final Path lastCheckpoint;

    public NonFiniteLossException(float loss, int epoch, int batch, long step, Path lastCheckpoint) {
        super("the loss is " + loss + " at step " + step + " (epoch " + epoch + ", batch " + (batch + 1)
                + "); training stopped before updating the weights"
                + (lastCheckpoint == null ? "" : "; the last good checkpoint is " + lastCheckpoint)
                + ". A lower learning rate (--lr) or gradient clipping usually helps");
        this.epoch = epoch;
        this.batch = batch;
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
    }

    /** The epoch, counted from 1. */
    public int epoch() {
        return epoch;
    }

    /** The batch within the epoch, counted from 0. */
    public int batch() {
        return batch;
    }

    /** The optimizer step (counted from 1) whose loss was not finite. */
    public long step() {
        return step;
    }

    /** The newest checkpoint written before, or null. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }
}
