package dev.lanes.zoo.models.googlenet;

import dev.lanes.nn.F;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.Dropout;
import dev.lanes.nn.layers.Linear;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.models.cifar.HeInitModel;

/**
 * GoogLeNet (Inception v1, Szegedy et al. 2015, table 1) for 32x32 CIFAR images: the ImageNet
 * stem (7x7 stride 2, pools, 1x1 and 3x3 convolutions) becomes one conv 3x3 to 192 channels, then
 * the paper's nine Inception modules with their widths: 3a, 3b on 32x32; max pool 3x3 stride 2;
 * 4a to 4e on 16x16; max pool; 5a, 5b on 8x8; global average pooling, dropout 0.4 and the
 * classifier. Every convolution is followed by batch norm (torchvision's {@code BasicConv2d};
 * the 2015 paper predates batch norm). The auxiliary classifiers are left out, as in the
 * CIFAR versions. Names as in torchvision.
 */
public final class GoogLeNet extends HeInitModel {
    private final BasicConv2d conv1;
    private final Inception inception3a, inception3b, inception4a, inception4b, inception4c, inception4d,
            inception4e, inception5a, inception5b;
    private final Dropout dropout;
    private final Linear fc;

    public GoogLeNet(ModelInput input) {
        conv1 = addModule("conv1", new BasicConv2d(input.channels(), 192, 3, 1));
        inception3a = addModule("inception3a", new Inception(192, 64, 96, 128, 16, 32, 32));
        inception3b = addModule("inception3b", new Inception(256, 128, 128, 192, 32, 96, 64));
        inception4a = addModule("inception4a", new Inception(480, 192, 96, 208, 16, 48, 64));
        inception4b = addModule("inception4b", new Inception(512, 160, 112, 224, 24, 64, 64));
        inception4c = addModule("inception4c", new Inception(512, 128, 128, 256, 24, 64, 64));
        inception4d = addModule("inception4d", new Inception(512, 112, 144, 288, 32, 64, 64));
        inception4e = addModule("inception4e", new Inception(528, 256, 160, 320, 32, 128, 128));
        inception5a = addModule("inception5a", new Inception(832, 256, 160, 320, 32, 128, 128));
        inception5b = addModule("inception5b", new Inception(832, 384, 192, 384, 48, 128, 128));
        dropout = addModule("dropout", new Dropout(0.4f));
        fc = addModule("fc", new Linear(inception5b.outChannels(), input.classes()));
    }

    @Override
    public Var forward(Var x) {
        Var y = inception3b.forward(inception3a.forward(conv1.forward(x)));
        y = F.maxPool2d(y, 3, 2, 1);
        y = inception4a.forward(y);
        y = inception4b.forward(y);
        y = inception4c.forward(y);
        y = inception4d.forward(y);
        y = inception4e.forward(y);
        y = F.maxPool2d(y, 3, 2, 1);
        y = inception5b.forward(inception5a.forward(y));
        return fc.forward(dropout.forward(F.flatten(F.globalAvgPool2d(y))));
    }

    @Override
    public String toString() {
        return "GoogLeNet(CIFAR)";
    }
}
