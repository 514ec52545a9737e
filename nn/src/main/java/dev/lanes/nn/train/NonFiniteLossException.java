package dev.lanes.nn.train;

import java.nio.file.Path;

/**
 * The loss, or a parameter's gradient, became NaN or infinite. Training stops before the step's
 * update, so the weights are those of the previous step, and the checkpoints written so far are
 * kept. ({@code Trainer.Builder.skipNonFinite} skips such steps instead.)
 */
public class NonFiniteLossException extends RuntimeException {
    private final int epoch;
    private final int batch;
    private final long step;
    private final Path lastCheckpoint;
    private final String parameter;

    public NonFiniteLossException(float loss, int epoch, int batch, long step, Path lastCheckpoint) {
        this("the loss is " + loss, null, epoch, batch, step, lastCheckpoint);
    }

    /**
     * The loss was finite but the gradient of {@code parameter} (the first one, in the model's
     * order of layers, whose gradient holds a NaN or an infinity) was not.
     */
    public static NonFiniteLossException ofGradient(String parameter, int epoch, int batch, long step,
                                                    Path lastCheckpoint) {
        return new NonFiniteLossException("the gradient of " + parameter + " (layer " + layerOf(parameter)
                + ", the first layer whose gradient is not finite) holds NaN or Inf", parameter, epoch, batch, step,
                lastCheckpoint);
    }

    private NonFiniteLossException(String what, String parameter, int epoch, int batch, long step,
                                   Path lastCheckpoint) {
        super(what + " at step " + step + " (epoch " + epoch + ", batch " + (batch + 1)
                + "); training stopped before updating the weights"
                + (lastCheckpoint == null ? "" : "; the last good checkpoint is " + lastCheckpoint)
                + ". A lower learning rate (--lr) or gradient clipping usually helps; --skip-nonfinite skips such steps");
        this.epoch = epoch;
        this.batch = batch;
        this.step = step;
        this.lastCheckpoint = lastCheckpoint;
        this.parameter = parameter;
    }

    /** The layer of a parameter name: {@code conv1} of {@code conv1.weight}. */
    static String layerOf(String parameter) {
        int dot = parameter.lastIndexOf('.');
        return dot < 0 ? parameter : parameter.substring(0, dot);
    }

    /** The parameter whose gradient was not finite, or null when the loss itself was not. */
    public String parameter() {
        return parameter;
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
