package dev.lanes.zoo.models.densenet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;

import java.util.ArrayList;
import java.util.List;

/**
 * A dense block: {@code layers} dense layers, each fed with the block's input and every earlier
 * layer's output, concatenated; the block's output is all of them concatenated
 * ({@code in + layers * k} channels). Children are named {@code denselayer1, denselayer2, ...}.
 */
public final class DenseBlock extends Module {
    private final List<DenseLayer> layers = new ArrayList<>();
    private final int outChannels;

    public DenseBlock(int in, int layerCount, int growth) {
        for (int i = 0; i < layerCount; i++) {
            layers.add(addModule("denselayer" + (i + 1), new DenseLayer(in + i * growth, growth)));
        }
        outChannels = in + layerCount * growth;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    public Var forward(Var x) {
        List<Var> features = new ArrayList<>(layers.size() + 1);
        features.add(x);
        for (DenseLayer l : layers) {
            features.add(l.forward(features));
        }
        return F.concat(features, 1);
    }
}
