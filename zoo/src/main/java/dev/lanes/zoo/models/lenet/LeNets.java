package dev.lanes.zoo.models.lenet;

import dev.lanes.nn.data.Datasets;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;

/** Registers the LeNet-5 models and their recipes in the {@link Zoo}. */
public final class LeNets {
    /**
     * PyTorch's calibration run for this model (../shared/peers/RESULTS.md, section 7): SGD with
     * momentum 0.9, weight decay 5e-4, one-cycle peaking at 0.1, batch 64, 10 epochs, MNIST padded to 32x32.
     */
    public static final String MNIST_RECIPE = "lenet-mnist";
    /** A short run of the same recipe on part of the data: the demo on synthetic digits. */
    public static final String QUICK_RECIPE = "lenet-quick";

    private LeNets() {
    }

    public static void register() {
        Recipe full = Recipe.builder(MNIST_RECIPE)
                .description("LeNet-5 on MNIST: SGD momentum 0.9, wd 5e-4, one-cycle to 0.1, 10 epochs of 60,000")
                .optimizer("sgd").lr(0.1).momentum(0.9).weightDecay(5e-4).schedule("one-cycle")
                .epochs(10).batchSize(64).pad(2).normalize(true)
                .build();
        Zoo.register(full);
        Zoo.register(full.toBuilder().name(QUICK_RECIPE)
                .description("a quick LeNet-5 run: 3 epochs of 12,000 images, tested on 2,000")
                .epochs(3).limitTrain(12_000).limitTest(2_000)
                .build());
        Zoo.register(new ModelSpec("lenet5", "LeNet-5 as in the notebook: tanh, average pooling, 32x32 input",
                Datasets.MNIST, MNIST_RECIPE, QUICK_RECIPE,
                (in, seed) -> new LeNet5(in, LeNet5.Variant.CLASSIC).initialize(seed)));
        Zoo.register(new ModelSpec("lenet5-relu", "LeNet-5, modern variant: ReLU, max pooling, 32x32 input",
                Datasets.MNIST, MNIST_RECIPE, QUICK_RECIPE,
                (in, seed) -> new LeNet5(in, LeNet5.Variant.MODERN).initialize(seed)));
    }
}
