package dev.lanes.nn.train;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Batch;
import dev.lanes.nn.data.DataLoader;
import dev.lanes.tensor.Tensor;

import java.util.function.BooleanSupplier;

/**
 * Loss and accuracy of a model over a data loader, in eval mode (batch-norm running statistics,
 * no dropout) under an inference tape (nothing recorded). Models implementing
 * {@link CustomLoss} are scored with their own loss, others with cross-entropy on
 * {@code forward}'s output.
 */
public final class Evaluation {
    /** Mean loss per image, accuracy in [0, 1], images seen and seconds taken. */
    public record Result(double loss, double accuracy, int images, double seconds) {
        public double imagesPerSec() {
            return seconds > 0 ? images / seconds : 0;
        }
    }

    private Evaluation() {
    }

    public static Result run(Module model, DataLoader loader) {
        return run(model, loader, null);
    }

    /**
     * Evaluates one pass over {@code loader} (its epoch 0); returns null when {@code stop}
     * turns true between two batches. The model's training mode is restored afterwards.
     */
    public static Result run(Module model, DataLoader loader, BooleanSupplier stop) {
        boolean wasTraining = model.isTraining();
        model.eval();
        long t0 = System.nanoTime();
        double lossSum = 0;
        long correct = 0;
        int images = 0;
        try (DataLoader.Epoch batches = loader.epoch(0)) {
            for (Batch b : batches) {
                if (stop != null && stop.getAsBoolean()) {
                    return null;
                }
                try (Tape tape = Tape.inference()) {
                    Var x = tape.input(b.images());
                    Var loss;
                    Var scores;
                    if (model instanceof CustomLoss custom) {
                        CustomLoss.LossAndScores ls = custom.lossAndScores(x, b.labels());
                        loss = ls.loss();
                        scores = ls.scores();
                    } else {
                        scores = model.forward(x);
                        loss = F.crossEntropy(scores, b.labels());
                    }
                    lossSum += (double) loss.item() * b.size();
                    correct += countCorrect(scores.value(), b.labels());
                    images += b.size();
                }
            }
        } finally {
            model.train(wasTraining);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Result(images == 0 ? Double.NaN : lossSum / images, images == 0 ? Double.NaN : (double) correct / images,
                images, seconds);
    }

    /** Rows of {@code scores} ({@code [batch, classes]}) whose largest entry (the first on ties) is the label. */
    public static int countCorrect(Tensor scores, int[] labels) {
        if (scores.rank() != 2 || scores.dim(0) != labels.length) {
            throw new IllegalArgumentException("scores must be [batch, classes] with batch = " + labels.length
                    + " labels, got " + dev.lanes.tensor.Shapes.toString(scores.shape()));
        }
        int classes = scores.dim(1);
        float[] d = scores.data();
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int row = scores.offset() + i * classes;
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (d[row + c] > d[row + best]) {
                    best = c;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        return correct;
    }
}
