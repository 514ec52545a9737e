package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.io.DType;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Batch normalization with PyTorch's entries: {@code weight}, {@code bias} (both exempt from
 * weight decay), {@code running_mean}, {@code running_var} and {@code num_batches_tracked}
 * (saved as I64). Training normalizes with batch statistics and updates the running ones in
 * place (so a model in training mode must not be shared between threads); evaluation uses the
 * running statistics.
 */
public abstract class BatchNorm extends Module {
    private final int features;
    private final float eps;
    private final float momentum;
    private final Var weight;
    private final Var bias;
    private final Tensor runningMean;
    private final Tensor runningVar;
    private final Tensor batchesTracked;

    protected BatchNorm(int features, float eps, float momentum, boolean affine, boolean trackRunningStats) {
        this.features = features;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? addParameter("weight", Tensor.ones(features), false) : null;
        this.bias = affine ? addParameter("bias", Tensor.zeros(features), false) : null;
        if (trackRunningStats) {
            runningMean = addBuffer("running_mean", Tensor.zeros(features));
            runningVar = addBuffer("running_var", Tensor.ones(features));
            batchesTracked = addBuffer("num_batches_tracked", Tensor.zeros(), DType.I64);
        } else {
            runningMean = runningVar = batchesTracked = null;
        }
    }

    /** Checks the rank of the input (the channel axis is always 1). */
    protected abstract void checkInput(int[] shape);

    @Override
    protected void resetParameters(SplittableRandom random) {
        if (weight != null) {
            weight.value().fill(1f);
            bias.value().fill(0f);
        }
        if (runningMean != null) {
            runningMean.fill(0f);
            runningVar.fill(1f);
            batchesTracked.fill(0f);
        }
    }

    @Override
    public Var forward(Var x) {
        int[] s = x.shape();
        checkInput(s);
        if (s[1] != features) {
            throw new IllegalArgumentException(this + ": input " + Shapes.toString(s) + " has " + s[1]
                    + " channels, expected " + features);
        }
        boolean batchStats = isTraining() || runningMean == null;
        Var y = F.batchNorm(x, weight, bias, runningMean, runningVar, batchStats, momentum, eps);
        if (isTraining() && batchesTracked != null) {
            batchesTracked.data()[batchesTracked.offset()] += 1f;
        }
        return layerOutput(y);
    }

    public Var weight() {
        return weight;
    }

    public Var bias() {
        return bias;
    }

    public Tensor runningMean() {
        return runningMean;
    }

    public Tensor runningVar() {
        return runningVar;
    }

    public int features() {
        return features;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + features + ")";
    }
}
