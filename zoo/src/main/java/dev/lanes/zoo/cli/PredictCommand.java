package dev.lanes.zoo.cli;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.data.Transform;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Zoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lanes predict MODEL --weights FILE IMAGE.png...}: the most likely classes of each image. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Classify images with trained weights and print the top classes with their probabilities.",
            "Each image is converted to the model's input: grey levels or RGB, resized to the data set's size, "
                + "then padded and normalised as in training."})
final class PredictCommand implements Callable<Integer> {
    /** How to treat dark-on-light grey images. */
    enum Invert { auto, yes, no }

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model name (see 'lanes models').")
    String model;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "IMAGE", description = "PNG (or JPEG, GIF, BMP) files.")
    List<Path> images;

    @Option(names = "--weights", paramLabel = "FILE", required = true, description = "A .safetensors file written by 'lanes train'.")
    Path weights;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Data set whose image size and classes apply (default: the one the weights were trained on).")
    String dataset;

    @Option(names = "--top", paramLabel = "K", defaultValue = "3", description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--invert", paramLabel = "WHEN", defaultValue = "auto",
            description = "Invert grey images: auto (when the border is light, as for a digit drawn on white), yes or no.")
    Invert invert;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be >= 1, got " + top);
        }
        ModelSpec m = Zoo.model(model);
        TrainedWeights w = TrainedWeights.read(m, weights);
        String ds = DataChoice.choose(w.trainedOn(), dataset, null).dataset();
        TrainedWeights.Preparation prep = w.preparation(ds);
        Module net = w.model(prep.input());
        int[] shape = prep.imageShape();
        PrintWriter out = spec.commandLine().getOut();
        for (Path image : images) {
            ImageInput.Pixels px = ImageInput.read(image, shape[0], shape[1], shape[2],
                    invert == Invert.auto ? null : invert == Invert.yes);
            float[] probs = probabilities(net, prepare(px.data(), shape, prep.transforms()), prep.input().batchShape(1));
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < probs.length; c++) {
                order.add(c);
            }
            order.sort(Comparator.comparingDouble((Integer c) -> -probs[c]).thenComparing(c -> c));
            out.println(image + (px.inverted() ? " (inverted: dark on light)" : "") + ":");
            for (int k = 0; k < Math.min(top, probs.length); k++) {
                int c = order.get(k);
                String name = c < prep.classes().size() ? prep.classes().get(c) : Integer.toString(c);
                out.println(String.format(Locale.ROOT, "  %-14s %7.2f%%", name, 100 * probs[c]));
            }
        }
        out.flush();
        return LanesCli.EXIT_OK;
    }

    /** Runs the test transforms (padding, normalisation) over one image. */
    private static float[] prepare(float[] pixels, int[] shape, Transform[] transforms) {
        float[] cur = pixels;
        int[] s = shape.clone();
        for (Transform t : transforms) {
            int[] next = t.outputShape(s.clone());
            float[] dst = new float[next[0] * next[1] * next[2]];
            t.apply(cur, 0, s, dst, 0, null);
            cur = dst;
            s = next;
        }
        return cur;
    }

    private static float[] probabilities(Module net, float[] input, int[] batchShape) {
        try (Tape tape = Tape.inference()) {
            Tensor p = F.softmax(net.forward(tape.input(Tensor.wrap(input, batchShape))), 1).value();
            float[] out = new float[p.size()];
            System.arraycopy(p.data(), p.offset(), out, 0, out.length);
            return out;
        }
    }
}
