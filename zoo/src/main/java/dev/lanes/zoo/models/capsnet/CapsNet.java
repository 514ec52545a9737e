package dev.lanes.zoo.models.capsnet;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.nn.layers.Sigmoid;
import dev.lanes.nn.ops.Losses;
import dev.lanes.nn.train.CustomLoss;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;

/**
 * The capsule network of Sabour, Frosst and Hinton 2017 ("Dynamic Routing Between Capsules"):
 * conv 256@9x9 + ReLU, primary capsules (32 maps of 8-D capsules, 9x9 stride 2), digit capsules
 * (one 16-D capsule per class, dynamic routing, 3 iterations by default), and a decoder
 * 512-1024-784 with sigmoid output that redraws the image from the capsules masked to one class:
 * the true class in training, the longest capsule in evaluation.
 *
 * <p>{@link #forward} returns the capsule lengths {@code [B, classes]} (the class scores). The
 * objective ({@link #lossAndScores}) is the margin loss (m+ 0.9, m- 0.1, lambda 0.5) plus
 * 0.0005 times the reconstruction's sum of squared errors, both averaged over the batch; the
 * images must be in {@code [0, 1]} (the recipe does not normalise them).
 */
public final class CapsNet extends Module implements CustomLoss, Reconstructs {
    /** Weight of the reconstruction loss. */
    public static final float RECONSTRUCTION_WEIGHT = 0.0005f;

    /** Sizes of the network; {@link #PAPER} is the paper's. */
    public record Config(int convChannels, int kernel, int primaryMaps, int primaryDim, int digitDim, int routing,
                         int decoder1, int decoder2) {
        public Config withRouting(int iterations) {
            return new Config(convChannels, kernel, primaryMaps, primaryDim, digitDim, iterations, decoder1, decoder2);
        }
    }

    public static final Config PAPER = new Config(256, 9, 32, 8, 16, 3, 512, 1024);

    private final ModelInput input;
    private final Config config;
    private final Module conv1, relu1;
    private final PrimaryCaps primaryCaps;
    private final DigitCaps digitCaps;
    private final Sequential decoder;

    public CapsNet(ModelInput input, Config c) {
        int h1 = input.height() - c.kernel() + 1, w1 = input.width() - c.kernel() + 1;
        int h2 = (h1 - c.kernel()) / 2 + 1, w2 = (w1 - c.kernel()) / 2 + 1;
        if (h1 < c.kernel() || w1 < c.kernel()) {
            throw new IllegalArgumentException("CapsNet with " + c.kernel() + "x" + c.kernel() + " kernels needs larger images than "
                    + input.height() + "x" + input.width());
        }
        this.input = input;
        this.config = c;
        conv1 = addModule("conv1", new Conv2d(input.channels(), c.convChannels(), c.kernel()));
        relu1 = addModule("relu1", new ReLU());
        primaryCaps = addModule("primary_caps", new PrimaryCaps(c.convChannels(), c.primaryMaps(), c.primaryDim(),
                c.kernel(), 2));
        digitCaps = addModule("digit_caps", new DigitCaps(c.primaryMaps() * h2 * w2, c.primaryDim(), input.classes(),
                c.digitDim(), c.routing()));
        int pixels = input.channels() * input.height() * input.width();
        decoder = addModule("decoder", new Sequential(new Linear(input.classes() * c.digitDim(), c.decoder1()), new ReLU(),
                new Linear(c.decoder1(), c.decoder2()), new ReLU(), new Linear(c.decoder2(), pixels), new Sigmoid()));
    }

    public CapsNet(ModelInput input) {
        this(input, PAPER);
    }

    /** The digit capsules {@code [B, classes, digitDim]}. */
    public Var capsules(Var images) {
        return digitCaps.forward(primaryCaps.forward(relu1.forward(conv1.forward(images))));
    }

    /** The capsule lengths {@code [B, classes]}: the class scores. */
    @Override
    public Var forward(Var images) {
        return F.norm(capsules(images), -1, false);
    }

    @Override
    public LossAndScores lossAndScores(Var images, int[] labels) {
        return lossFromCapsules(capsules(images), images, labels);
    }

    /** The objective given the digit capsules {@code v} of {@code images}: margin loss plus weighted reconstruction error. */
    LossAndScores lossFromCapsules(Var v, Var images, int[] labels) {
        Var lengths = F.norm(v, -1, false);
        Var margin = F.marginLoss(lengths, labels);
        int b = images.dim(0);
        Var recon = decode(v, decoderClasses(labels, lengths.value()));
        Var target = F.reshape(images.detach(), b, -1);
        Var sse = F.scale(F.mseLoss(recon, target, Losses.Reduction.SUM), RECONSTRUCTION_WEIGHT / b);
        return new LossAndScores(F.add(margin, sse), lengths);
    }

    @Override
    public Var reconstruct(Var images) {
        Var v = capsules(images);
        Var recon = decode(v, longest(F.norm(v, -1, false).value()));
        return F.reshape(recon, images.dim(0), input.channels(), input.height(), input.width());
    }

    /** The class whose capsule the decoder sees: the true one in training, the longest capsule in evaluation. */
    int[] decoderClasses(int[] labels, Tensor lengths) {
        return isTraining() ? labels : longest(lengths);
    }

    /** The decoder's image from the capsules with all but class {@code keep[n]} of sample n zeroed. */
    private Var decode(Var v, int[] keep) {
        int b = v.dim(0), classes = v.dim(1);
        Var mask = F.zeros(v, b, classes, 1);
        float[] m = mask.value().data();
        int off = mask.value().offset();
        for (int n = 0; n < b; n++) {
            m[off + n * classes + keep[n]] = 1f;
        }
        return decoder.forward(F.reshape(F.mul(v, mask), b, classes * v.dim(2)));
    }

    /** The index of the longest capsule of every row (the first on ties). */
    private static int[] longest(Tensor lengths) {
        int b = lengths.dim(0), k = lengths.dim(1);
        int[] out = new int[b];
        for (int n = 0; n < b; n++) {
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (lengths.at(n * k + j) > lengths.at(n * k + best)) {
                    best = j;
                }
            }
            out[n] = best;
        }
        return out;
    }

    /** The stages, for {@link CapsNetStepProfile}. */
    Module conv1() {
        return conv1;
    }

    PrimaryCaps primaryCaps() {
        return primaryCaps;
    }

    DigitCaps digitCaps() {
        return digitCaps;
    }

    public Config config() {
        return config;
    }

    @Override
    public String toString() {
        return "CapsNet(" + config + ")";
    }
}
