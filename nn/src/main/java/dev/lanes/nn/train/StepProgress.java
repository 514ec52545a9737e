package dev.lanes.nn.train;

/**
 * Where the trainer is within an epoch, handed to {@link TrainListener#step} after every
 * step. One object is reused for the whole run (no allocation per step): read it during the
 * call, do not keep it.
 */
public final class StepProgress {
    int epoch;
    int epochs;
    int batch;
    int batches;
    long step;
    int images;
    int imagesPerEpoch;
    double loss;
    double accuracy;
    double seconds;
    double lr;

    /** The epoch, counted from 1. */
    public int epoch() {
        return epoch;
    }

    public int epochs() {
        return epochs;
    }

    /** Batches done in this epoch. */
    public int batch() {
        return batch;
    }

    /** Batches in an epoch. */
    public int batches() {
        return batches;
    }

    /** Optimizer steps taken since the start of the run. */
    public long step() {
        return step;
    }

    /** Images trained on in this epoch so far. */
    public int images() {
        return images;
    }

    public int imagesPerEpoch() {
        return imagesPerEpoch;
    }

    /** Mean loss per image over the epoch so far. */
    public double loss() {
        return loss;
    }

    /** Training accuracy over the epoch so far, in [0, 1]. */
    public double accuracy() {
        return accuracy;
    }

    /** Training seconds in this epoch so far. */
    public double seconds() {
        return seconds;
    }

    public double imagesPerSec() {
        return seconds > 0 ? images / seconds : 0;
    }

    /** The learning rate of the last step. */
    public double lr() {
        return lr;
    }
}
