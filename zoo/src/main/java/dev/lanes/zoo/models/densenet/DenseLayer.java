package dev.lanes.zoo.models.densenet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;

import java.util.List;

/**
 * The bottleneck layer of DenseNet-B (Huang et al. 2017, section 3): BN, ReLU, conv 1x1 to
 * {@code 4k} channels, BN, ReLU, conv 3x3 to {@code k} new channels, applied to the
 * concatenation of every earlier feature map of its block. Names as in torchvision
 * ({@code norm1}, {@code conv1}, {@code norm2}, {@code conv2}).
 */
public final class DenseLayer extends Module {
    private final BatchNorm2d norm1, norm2;
    private final Conv2d conv1, conv2;

    public DenseLayer(int in, int growth) {
        norm1 = addModule("norm1", new BatchNorm2d(in));
        conv1 = addModule("conv1", new Conv2d(in, 4 * growth, 1, 1, 0, 1, 1, false));
        norm2 = addModule("norm2", new BatchNorm2d(4 * growth));
        conv2 = addModule("conv2", new Conv2d(4 * growth, growth, 3, 1, 1, 1, 1, false));
    }

    /** The {@code k} new maps from all earlier ones. */
    public Var forward(List<Var> earlier) {
        Var x = earlier.size() == 1 ? earlier.get(0) : F.concat(earlier, 1);
        Var y = conv1.forward(F.relu(norm1.forward(x)));
        return conv2.forward(F.relu(norm2.forward(y)));
    }

    @Override
    public Var forward(Var x) {
        return forward(List.of(x));
    }
}
