package dev.lanes.zoo.cli;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.data.Transform;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.capsnet.Reconstructs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
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
        description = {"Classify images with trained weights and print the top classes with their probabilities (for capsule networks: their capsule lengths).",
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

    @Option(names = "--save-reconstruction", paramLabel = "PNG",
            description = {"For models with a decoder (capsnet): write the image redrawn from its longest capsule to PNG; "
                + "with several images, PNG gets -1, -2, ... before its extension."})
    Path saveReconstruction;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (top < 1) {
            throw new IllegalArgumentException("--top must be >= 1, got " + top);
        }
        ModelSpec m = Zoo.model(model);
        TrainedWeights w = TrainedWeights.read(m, weights);
        // predicting needs the data set's image size and classes, not its files: no fallback to a stand-in
        String ds = dataset == null ? w.trainedOn() : DataChoice.choose(w.trainedOn(), dataset, null).dataset();
        TrainedWeights.Preparation prep = w.preparation(ds);
        Module net = w.model(prep.input());
        if (saveReconstruction != null && !(net instanceof Reconstructs)) {
            throw new IllegalArgumentException("--save-reconstruction: model " + model + " has no decoder "
                    + "(models that reconstruct their input: capsnet)");
        }
        int[] shape = prep.imageShape();
        PrintWriter out = spec.commandLine().getOut();
        for (int i = 0; i < images.size(); i++) {
            Path image = images.get(i);
            ImageInput.Pixels px = ImageInput.read(image, shape[0], shape[1], shape[2],
                    invert == Invert.auto ? null : invert == Invert.yes);
            float[] input = prepare(px.data(), shape, prep.transforms());
            boolean capsules = net instanceof Reconstructs;
            float[] probs = capsules ? scores(net, input, prep.input().batchShape(1))
                    : probabilities(net, input, prep.input().batchShape(1));
            List<Integer> order = new ArrayList<>();
            for (int c = 0; c < probs.length; c++) {
                order.add(c);
            }
            order.sort(Comparator.comparingDouble((Integer c) -> -probs[c]).thenComparing(c -> c));
            out.println(image + (px.inverted() ? " (inverted: dark on light)" : "") + ":");
            for (int k = 0; k < Math.min(top, probs.length); k++) {
                int c = order.get(k);
                String name = c < prep.classes().size() ? prep.classes().get(c) : Integer.toString(c);
                out.println(capsules ? String.format(Locale.ROOT, "  %-14s length %.3f", name, probs[c])
                        : String.format(Locale.ROOT, "  %-14s %7.2f%%", name, 100 * probs[c]));
            }
            if (saveReconstruction != null) {
                Path png = images.size() == 1 ? saveReconstruction : numbered(saveReconstruction, i + 1);
                writePng(reconstruction((Reconstructs) net, input, prep.input().batchShape(1)), prep.input(), png);
                out.println("  reconstruction: " + png);
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

    /** The capsule lengths of a capsule network: class scores in [0, 1] that need not sum to one. */
    private static float[] scores(Module net, float[] input, int[] batchShape) {
        try (Tape tape = Tape.inference()) {
            return net.forward(tape.input(Tensor.wrap(input, batchShape))).value().toArray();
        }
    }

    private static float[] reconstruction(Reconstructs net, float[] input, int[] batchShape) {
        try (Tape tape = Tape.inference()) {
            return net.reconstruct(tape.input(Tensor.wrap(input, batchShape))).value().toArray();
        }
    }

    /** {@code out.png} -> {@code out-3.png}. */
    private static Path numbered(Path file, int n) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String numbered = dot > 0 ? name.substring(0, dot) + "-" + n + name.substring(dot) : name + "-" + n;
        return file.resolveSibling(numbered);
    }

    /** Writes {@code [C, H, W]} values in [0, 1] as a grey (1 channel) or RGB PNG. */
    private static void writePng(float[] chw, ModelInput in, Path file) throws IOException {
        int h = in.height(), w = in.width(), plane = h * w;
        BufferedImage img = new BufferedImage(w, h, in.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY
                : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = y * w + x;
                if (in.channels() == 1) {
                    img.getRaster().setSample(x, y, 0, level(chw[p]));
                } else {
                    img.setRGB(x, y, level(chw[p]) << 16 | level(chw[plane + p]) << 8 | level(chw[2 * plane + p]));
                }
            }
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer for " + file);
        }
    }

    private static int level(float v) {
        return Math.round(255 * Math.max(0f, Math.min(1f, v)));
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
