package dev.lanes.tensor.conv;

import java.util.List;
import java.util.Map;

/**
 * The convolution layers of the zoo's models, by model, for the benchmarks
 * ({@code lanes bench conv --shape NAME} and the JMH {@code ConvBenchmark}) and for the
 * measurements behind the dispatcher. A layer is a shape without its batch size.
 */
public final class ConvLayerSets {
    /** One layer: {@code cIn -> cOut}, a square {@code k x k} kernel on an {@code h x w} input. */
    public record Layer(int cIn, int h, int w, int cOut, int k, int stride, int pad) {
        public ConvShape shape(int batch) {
            return ConvShape.of(batch, cIn, h, w, cOut, k, stride, pad, 1, 1);
        }

        /** e.g. {@code 16->32 3x3/2 @32x32}. */
        public String label() {
            return cIn + "->" + cOut + " " + k + "x" + k + (stride == 1 ? "" : "/" + stride) + " @" + h + "x" + w;
        }
    }

    private static final Map<String, List<Layer>> SETS = Map.of(
            "lenet5", List.of(new Layer(1, 32, 32, 6, 5, 1, 0), new Layer(6, 14, 14, 16, 5, 1, 0)),
            "resnet20", List.of(
                    new Layer(3, 32, 32, 16, 3, 1, 1),
                    new Layer(16, 32, 32, 16, 3, 1, 1),
                    new Layer(16, 32, 32, 32, 3, 2, 1),
                    new Layer(32, 16, 16, 32, 3, 1, 1),
                    new Layer(32, 16, 16, 64, 3, 2, 1),
                    new Layer(64, 8, 8, 64, 3, 1, 1)),
            "vgg", List.of(new Layer(64, 16, 16, 128, 3, 1, 1), new Layer(256, 8, 8, 256, 3, 1, 1)),
            // GoogLeNet (CIFAR) inception 3a on 32x32: the 1x1 reductions, the 3x3 and 5x5 branches
            "inception", List.of(
                    new Layer(192, 32, 32, 64, 1, 1, 0),
                    new Layer(192, 32, 32, 96, 1, 1, 0),
                    new Layer(96, 32, 32, 128, 3, 1, 1),
                    new Layer(192, 32, 32, 16, 1, 1, 0),
                    new Layer(16, 32, 32, 32, 5, 1, 2)),
            "capsnet", List.of(new Layer(1, 28, 28, 256, 9, 1, 0), new Layer(256, 20, 20, 256, 9, 2, 0)),
            // the PyTorch (oneDNN) anchor of ../shared/peers: 3x3 64->64 on 32x32 (at batch 32)
            "peer", List.of(new Layer(64, 32, 32, 64, 3, 1, 1)));

    private ConvLayerSets() {
    }

    /** The names of the sets, sorted. */
    public static List<String> names() {
        return SETS.keySet().stream().sorted().toList();
    }

    /** The layers of a set; an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public static List<Layer> layers(String name) {
        List<Layer> layers = SETS.get(name);
        if (layers == null) {
            throw new IllegalArgumentException("unknown layer set '" + name + "'; known: " + String.join(", ", names()));
        }
        return layers;
    }
}
