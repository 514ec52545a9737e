package dev.lanes.zoo.models.kan;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.KANGridUpdate;
import dev.lanes.nn.layers.KANLinear;
import dev.lanes.nn.train.CustomLoss;
import dev.lanes.tensor.Tensor;

import java.util.Arrays;

/**
 * A Kolmogorov-Arnold network (Liu et al. 2024) of {@link KANLinear} layers of the given widths,
 * e.g. {@code [784, 64, 10]} for MNIST; images are flattened first. Parameters are named as in
 * efficient-kan ({@code layers.0.spline_weight}). The first layer's grid spans the input range
 * ({@code [0, 1]} for unnormalised pixels), the others {@code [-1, 1]}.
 *
 * <p>Trained with cross-entropy plus, when {@code lambda > 0}, the paper's regularisation
 * {@code lambda * sum over layers of (l1 + entropyWeight * entropy)} of the edge activations.
 */
public final class Kan extends Module implements CustomLoss {
    private final int[] widths;
    private final Sequential layers;
    private final float lambda;
    private final float entropyWeight;

    public Kan(int[] widths, int gridSize, int order, float inputLo, float inputHi, float lambda, float entropyWeight) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("a KAN needs at least an input and an output width, got "
                    + Arrays.toString(widths));
        }
        this.widths = widths.clone();
        this.lambda = lambda;
        this.entropyWeight = entropyWeight;
        this.layers = addModule("layers", new Sequential());
        for (int l = 0; l + 1 < widths.length; l++) {
            float lo = l == 0 ? inputLo : -1f, hi = l == 0 ? inputHi : 1f;
            layers.add(new KANLinear(widths[l], widths[l + 1], gridSize, order, lo, hi));
        }
    }

    /** Widths, G = 5, k = 3, first grid on {@code [0, 1]}, no regularisation. */
    public Kan(int... widths) {
        this(widths, 5, 3, 0f, 1f, 0f, 2f);
    }

    @Override
    public Var forward(Var x) {
        return layers.forward(x.rank() == 2 ? x : F.flatten(x));
    }

    @Override
    public LossAndScores lossAndScores(Var images, int[] labels) {
        if (lambda == 0f) {
            Var scores = forward(images);
            return new LossAndScores(F.crossEntropy(scores, labels), scores);
        }
        Var h = images.rank() == 2 ? images : F.flatten(images);
        Var reg = null;
        for (int l = 0; l < layers.size(); l++) {
            KANLinear layer = layer(l);
            Var r = layer.regularization(h, 1f, entropyWeight);
            reg = reg == null ? r : F.add(reg, r);
            h = layer.forward(h);
        }
        return new LossAndScores(F.add(F.crossEntropy(h, labels), F.scale(reg, lambda)), h);
    }

    public KANLinear layer(int l) {
        return (KANLinear) layers.get(l);
    }

    public int depth() {
        return layers.size();
    }

    /**
     * Moves every layer's grid to the activations it sees on {@code images} and refits its
     * splines (see {@link KANLinear#updateGrid}).
     */
    public void updateGrid(Tensor images) {
        KANGridUpdate.update(this, images, KANGridUpdate.MARGIN);
    }

    /** Grid extension: the same network on grids of {@code newGridSize} intervals, fitted on {@code images}. */
    public Kan extended(int newGridSize, Tensor images) {
        Kan next = new Kan(widths, newGridSize, layer(0).order(), 0f, 1f, lambda, entropyWeight);
        Tensor h = images.reshape(images.dim(0), -1);
        for (int l = 0; l < layers.size(); l++) {
            KANLinear fine = layer(l).extended(newGridSize, h);
            next.layer(l).loadStateDict(fine.stateDict());
            h = layer(l).forward(Var.constant(h)).value();
        }
        return next;
    }

    @Override
    public String toString() {
        return "Kan(" + Arrays.toString(widths) + ", G=" + layer(0).gridSize() + ", k=" + layer(0).order() + ")";
    }
}
