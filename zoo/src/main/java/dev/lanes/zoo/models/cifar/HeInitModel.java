package dev.lanes.zoo.models.cifar;

import dev.lanes.nn.Module;
import dev.lanes.nn.init.Init;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Linear;

import java.util.List;
import java.util.Map;

/**
 * A model whose convolutions start from the initialization the CIFAR papers use (He et al. 2015,
 * as torchvision's ResNet, VGG, GoogLeNet and DenseNet do): weights normal with std
 * {@code sqrt(2 / fan_out)}, biases zero. Batch norm starts at weight 1, bias 0, and linear
 * layers keep PyTorch's default, as in torchvision, except in networks without batch norm
 * ({@link #heInitHiddenLinear}): there PyTorch's default (std {@code 1 / sqrt(3 fan_in)}) shrinks
 * the signal about six-fold per ReLU layer, and a short run stays at the loss of chance (2.30),
 * so their hidden linear layers get He's {@code sqrt(2 / fan_in)} as well. The zoo's factories call
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

    /** Whether the linear layers before the last one also start from He's initialization. */
    protected boolean heInitHiddenLinear() {
        return false;
    }

    /** Redraws every convolution (and hidden linear layer) below this model, each from (seed, its qualified name). */
    private void initConvolutions(long seed) {
        List<Map.Entry<String, Module>> linear = namedModules().entrySet().stream()
                .filter(e -> e.getValue() instanceof Linear).toList();
        for (int i = 0; heInitHiddenLinear() && i < linear.size() - 1; i++) {
            Linear l = (Linear) linear.get(i).getValue();
            Init.kaimingNormal(l.weight().value(), 0, Init.Fan.IN, Init.Nonlinearity.RELU,
                    Init.random(seed, "he:" + linear.get(i).getKey()));
            l.bias().value().fill(0f);
        }
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
