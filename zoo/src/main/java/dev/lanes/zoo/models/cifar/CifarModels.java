package dev.lanes.zoo.models.cifar;

import dev.lanes.nn.data.Datasets;
import dev.lanes.zoo.ModelFactory;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.alexnet.AlexNet;
import dev.lanes.zoo.models.densenet.DenseNet;
import dev.lanes.zoo.models.googlenet.GoogLeNet;
import dev.lanes.zoo.models.resnet.ResNet;
import dev.lanes.zoo.models.resnet.ResNetCifar;
import dev.lanes.zoo.models.resnet.Shortcut;
import dev.lanes.zoo.models.vgg.Vgg;

/**
 * Registers the classic CNNs for CIFAR-10 (AlexNet, VGG, GoogLeNet, ResNet, DenseNet-BC) and
 * their recipes in the {@link Zoo}. Every recipe normalises each channel with CIFAR-10's mean and
 * std, and trains with random 32x32 crops of the image padded by 4, horizontal flips, SGD with
 * Nesterov momentum 0.9 and weight decay 5e-4 (not on batch-norm parameters or biases, which
 * the layers exempt), batch 128.
 */
public final class CifarModels {
    /**
     * The long run for the papers' accuracy: 200 epochs, cosine from 0.1 after a linear warm-up
     * of 1 epoch (391 steps: He et al. warm ResNet-110 up for about 400 iterations, at 0.01).
     */
    public static final String FULL = "cifar-full";
    /** A short schedule: 30 epochs one-cycle to 0.1 with label smoothing 0.1. */
    public static final String FAST = "cifar-fast";
    /**
     * A few minutes: 2 epochs of 10,000 images, tested on 2,000, one-cycle climbing for the first
     * epoch (79 steps; the default 30% of the run, 47 steps, let ResNet-18 diverge); also the
     * synthetic stand-in's recipe.
     */
    public static final String QUICK = "cifar-quick";
    /** The same three for networks without batch norm (AlexNet, plain VGG): peak learning rate 0.02, not 0.1. */
    public static final String PLAIN_FULL = "cifar-plain-full", PLAIN_FAST = "cifar-plain-fast",
            PLAIN_QUICK = "cifar-plain-quick";
    private static final double PLAIN_LR = 0.02;

    private CifarModels() {
    }

    public static void register() {
        Recipe full = Recipe.builder(FULL)
                .description("CIFAR-10, the papers' accuracy: SGD Nesterov 0.9, wd 5e-4, cosine from 0.1 after 1 epoch "
                        + "of warm-up, 200 epochs, crop 32 pad 4, flip")
                .optimizer("sgd").lr(0.1).momentum(0.9).nesterov(true).weightDecay(5e-4).cosineSchedule(1, 0)
                .epochs(200).batchSize(128).randomCrop(4).flip(true).normalize(true)
                .build();
        Zoo.register(full);
        Recipe fast = full.toBuilder().name(FAST)
                .description("CIFAR-10 in 30 epochs: one-cycle to 0.1, label smoothing 0.1, SGD Nesterov 0.9, wd 5e-4, "
                        + "crop 32 pad 4, flip")
                .schedule("one-cycle").warmup(0).epochs(30).labelSmoothing(0.1)
                .build();
        Zoo.register(fast);
        Recipe quick = fast.toBuilder().name(QUICK)
                .description("a short CIFAR-10 run: 2 epochs of 10,000 images, tested on 2,000; one-cycle to 0.1, "
                        + "climbing for 1 epoch")
                .epochs(2).warmup(1).labelSmoothing(0).limitTrain(10_000).limitTest(2_000)
                .build();
        Zoo.register(quick);
        Zoo.register(plain(full, PLAIN_FULL));
        Zoo.register(plain(fast, PLAIN_FAST));
        Zoo.register(plain(quick, PLAIN_QUICK));

        for (int depth : new int[] {20, 32, 44, 56, 110}) {
            model("resnet" + depth, "ResNet-" + depth + " for CIFAR (He et al. 2016), option A: zero-padded identity "
                    + "shortcuts", (in, seed) -> new ResNetCifar(depth, Shortcut.A, in).initialize(seed));
            model("resnet" + depth + "-b", "ResNet-" + depth + " for CIFAR, option B: 1x1 projection shortcuts",
                    (in, seed) -> new ResNetCifar(depth, Shortcut.B, in).initialize(seed));
        }
        for (int depth : new int[] {18, 34}) {
            model("resnet" + depth, "ResNet-" + depth + " (basic blocks, projections), conv 3x3 stem for 32x32",
                    (in, seed) -> new ResNet(depth, ResNet.Stem.CIFAR, in).initialize(seed));
        }
        for (int depth : new int[] {11, 13, 16}) {
            plainModel("vgg" + depth, "VGG-" + depth + " for CIFAR, no batch norm, classifier 512-512 with dropout",
                    (in, seed) -> new Vgg(depth, false, in).initialize(seed));
            model("vgg" + depth + "-bn", "VGG-" + depth + " for CIFAR with batch norm",
                    (in, seed) -> new Vgg(depth, true, in).initialize(seed));
        }
        plainModel("alexnet", "AlexNet sized for CIFAR: 5 convs, LRN, overlapping max pools, fc 1024-1024 with dropout",
                (in, seed) -> new AlexNet(in).initialize(seed));
        model("googlenet", "GoogLeNet (Inception v1) for CIFAR: 9 Inception modules, batch norm",
                (in, seed) -> new GoogLeNet(in).initialize(seed));
        model("densenet-bc-100", "DenseNet-BC-100, growth 12, compression 0.5 (Huang et al. 2017)",
                (in, seed) -> new DenseNet(100, 12, in).initialize(seed));
        model("densenet-bc-40", "DenseNet-BC-40, growth 12: a small DenseNet-BC",
                (in, seed) -> new DenseNet(40, 12, in).initialize(seed));
    }

    /** {@code r} with the learning rate of networks without batch norm, which diverge or stall at 0.1. */
    private static Recipe plain(Recipe r, String name) {
        return r.toBuilder().name(name).lr(PLAIN_LR)
                .description(r.description().replace("to 0.1", "to 0.02").replace("from 0.1", "from 0.02")
                        + " (no batch norm: lr 0.02)")
                .build();
    }

    private static void model(String name, String description, ModelFactory factory) {
        Zoo.register(new ModelSpec(name, description, Datasets.CIFAR10, FAST, QUICK, factory));
    }

    private static void plainModel(String name, String description, ModelFactory factory) {
        Zoo.register(new ModelSpec(name, description, Datasets.CIFAR10, PLAIN_FAST, PLAIN_QUICK, factory));
    }
}
