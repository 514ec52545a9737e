package dev.lanes.zoo.models.googlenet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.MaxPool2d;

import java.util.List;

/**
 * The Inception module (Szegedy et al. 2015, figure 2b): four branches on the same input,
 * concatenated along the channels: 1x1; 1x1 reduce then 3x3; 1x1 reduce then 5x5; 3x3 max pool
 * (stride 1, padding 1) then a 1x1 projection. Names as in torchvision ({@code branch1.conv},
 * {@code branch2.0}, {@code branch2.1}, ..., {@code branch4.1}), except that branch 3 has the
 * paper's 5x5 convolution (torchvision's has 3x3).
 */
public final class Inception extends Module {
    private final Module branch1, branch2, branch3, branch4;
    private final int outChannels;

    public Inception(int in, int ch1x1, int ch3x3red, int ch3x3, int ch5x5red, int ch5x5, int poolProj) {
        branch1 = addModule("branch1", new BasicConv2d(in, ch1x1, 1, 0));
        branch2 = addModule("branch2", new Sequential(new BasicConv2d(in, ch3x3red, 1, 0),
                new BasicConv2d(ch3x3red, ch3x3, 3, 1)));
        branch3 = addModule("branch3", new Sequential(new BasicConv2d(in, ch5x5red, 1, 0),
                new BasicConv2d(ch5x5red, ch5x5, 5, 2)));
        branch4 = addModule("branch4", new Sequential(new MaxPool2d(3, 1, 1), new BasicConv2d(in, poolProj, 1, 0)));
        outChannels = ch1x1 + ch3x3 + ch5x5 + poolProj;
    }

    public int outChannels() {
        return outChannels;
    }

    @Override
    public Var forward(Var x) {
        return F.concat(List.of(branch1.forward(x), branch2.forward(x), branch3.forward(x), branch4.forward(x)), 1);
    }
}
