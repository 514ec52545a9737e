package dev.lanes.zoo.models.capsnet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.Conv2d;

/**
 * The primary capsules: one convolution giving {@code maps x dim} channels ({@code 32 x 8} in the
 * paper, 9x9 stride 2), regrouped into {@code maps * H * W} capsules of {@code dim} values
 * (capsule {@code (map, y, x)} holds channels {@code map * dim .. map * dim + dim - 1} at
 * {@code (y, x)}) and squashed. Output {@code [B, maps * H * W, dim]}.
 */
public final class PrimaryCaps extends Module {
    private final int maps;
    private final int dim;
    private final Conv2d conv;

    public PrimaryCaps(int in, int maps, int dim, int kernel, int stride) {
        this.maps = maps;
        this.dim = dim;
        this.conv = addModule("conv", new Conv2d(in, maps * dim, kernel, stride, 0));
    }

    @Override
    public Var forward(Var x) {
        return regroup(conv.forward(x));
    }

    /** The convolution's output {@code [B, maps*dim, H, W]} regrouped into squashed capsules. */
    Var regroup(Var y) {
        int b = y.dim(0), h = y.dim(2), w = y.dim(3);
        Var caps = F.permute(F.reshape(y, b, maps, dim, h, w), 0, 1, 3, 4, 2);   // [B, maps, H, W, dim]
        return layerOutput(F.squash(F.reshape(caps, b, maps * h * w, dim), -1));
    }

    Conv2d conv() {
        return conv;
    }

    /** Capsules for an input of {@code h x w} pixels. */
    public int capsules(int h, int w, int kernel, int stride) {
        return maps * ((h - kernel) / stride + 1) * ((w - kernel) / stride + 1);
    }
}
