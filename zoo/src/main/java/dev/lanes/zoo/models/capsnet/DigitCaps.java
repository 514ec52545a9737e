package dev.lanes.zoo.models.capsnet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.init.Init;
import dev.lanes.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The digit capsules: every input capsule {@code i} predicts every output capsule {@code j} as
 * {@code W_ij u_i}, and dynamic routing by agreement combines the predictions
 * ({@link F#dynamicRouting}). Weight {@code [I, J, D, inDim]}, drawn from N(0, 0.01^2) as in the
 * common reference implementations. Input {@code [B, I, inDim]}, output {@code [B, J, D]}.
 */
public final class DigitCaps extends Module {
    private final int iterations;
    private final Var weight;

    public DigitCaps(int inCapsules, int inDim, int outCapsules, int outDim, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("routing needs at least 1 iteration, got " + iterations);
        }
        this.iterations = iterations;
        this.weight = addParameter("weight", Tensor.zeros(inCapsules, outCapsules, outDim, inDim));
        resetParameters(constructionRandom());
    }

    @Override
    protected void resetParameters(SplittableRandom random) {
        Init.normal(weight.value(), 0, 0.01, random);
    }

    @Override
    public Var forward(Var u) {
        return layerOutput(F.dynamicRouting(F.capsulePredictions(u, weight), iterations));
    }

    public int iterations() {
        return iterations;
    }

    public Var weight() {
        return weight;
    }
}
