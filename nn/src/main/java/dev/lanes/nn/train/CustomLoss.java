package dev.lanes.nn.train;

import dev.lanes.nn.Var;

/**
 * Implemented by a model whose training objective is not cross-entropy on the output of
 * {@code forward} (CapsNet: margin loss plus a reconstruction loss masked by the true class;
 * KAN: added regularisation terms). The trainer calls it under a recording tape in training
 * and an inference tape in evaluation; models without it are trained with cross-entropy on
 * {@code forward(images)}.
 */
public interface CustomLoss {
    /** The loss to minimise for a batch, and the class scores used for accuracy (argmax per row). */
    LossAndScores lossAndScores(Var images, int[] labels);

    /** A one-element loss and the {@code [batch, classes]} scores it came with. */
    record LossAndScores(Var loss, Var scores) {
    }
}
