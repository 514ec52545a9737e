package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

/** Local response normalization across channels (AlexNet); PyTorch's defaults alpha 1e-4, beta 0.75, k 1. */
public class LocalResponseNorm extends Module {
    private final int size;
    private final float alpha;
    private final float beta;
    private final float k;

    public LocalResponseNorm(int size) {
        this(size, 1e-4f, 0.75f, 1f);
    }

    public LocalResponseNorm(int size, float alpha, float beta, float k) {
        this.size = size;
        this.alpha = alpha;
        this.beta = beta;
        this.k = k;
    }

    @Override
    public Var forward(Var x) {
        return layerOutput(F.localResponseNorm(x, size, alpha, beta, k));
    }

    @Override
    public String toString() {
        return "LocalResponseNorm(" + size + ", alpha=" + alpha + ", beta=" + beta + ", k=" + k + ")";
    }
}
