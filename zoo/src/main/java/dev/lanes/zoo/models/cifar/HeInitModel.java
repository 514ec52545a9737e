package dev.lanes.zoo.models.cifar;

import dev.lanes.nn.Module;
import dev.lanes.nn.init.Init;
import dev.lanes.nn.layers.Conv2d;

import java.util.Map;

/**
 * A model whose convolutions start from the initialization the CIFAR papers use (He et al. 2015,
 * as torchvision's ResNet, VGG, GoogLeNet and DenseNet do): weights normal with std
 * {@code sqrt(2 / fan_out)}, biases zero. Batch norm starts at weight 1, bias 0, and linear
 * layers keep PyTorch's default, as in torchvision. The zoo's factories call
 * {@link #initialize(long)}; a model built with {@code new} has the layers' default weights
 * until then (drawing them twice would double the cost of building the large models).
 */
public abstract class HeInitModel extends Module {
    @Override
    public Module initialize(long seed) {
        super.initialize(seed);
        initConvolutions(seed);
        return this;
    }

    /** Redraws every convolution below this model, each from (seed, its qualified name). */
    private void initConvolutions(long seed) {
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            if (e.getValue() instanceof Conv2d c) {
                Init.kaimingNormal(c.weight().value(), 0, Init.Fan.OUT, Init.Nonlinearity.RELU,
                        Init.random(seed, "he:" + e.getKey()));
                if (c.bias() != null) {
                    c.bias().value().fill(0f);
                }
            }
        }
    }
}
