package dev.lanes.zoo.models.kan;

import dev.lanes.nn.Sequential;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;

/** Registers the KAN, convolutional KAN and their comparison models with their recipes in the {@link Zoo}. */
public final class KanModels {
    /** efficient-kan's MNIST run: AdamW 1e-3, wd 1e-4, learning rate times 0.8 per epoch, batch 64, pixels in [0, 1]. */
    public static final String MNIST_RECIPE = "kan-mnist";
    public static final String QUICK_RECIPE = "kan-quick";
    /** The same optimiser for the convolutional models. */
    public static final String CONV_RECIPE = "convkan-mnist";
    public static final String CONV_QUICK_RECIPE = "convkan-quick";
    /** Longer convolutional KAN runs for the 99% MNIST goal: cosine decay over 10 epochs, with or without shifts. */
    public static final String CONV_LONG_RECIPE = "convkan-mnist-long";
    public static final String CONV_SHIFT_RECIPE = "convkan-mnist-shift";
    /** The long recipe with the KAN paper's grid update (every 100 steps during the first 1,000). */
    public static final String CONV_GRID_RECIPE = "convkan-mnist-grid";

    private KanModels() {
    }

    public static void register() {
        Recipe kan = Recipe.builder(MNIST_RECIPE)
                .description("KAN on MNIST (efficient-kan's run): AdamW 1e-3, wd 1e-4, lr x0.8 per epoch, 10 epochs")
                .optimizer("adamw").lr(1e-3).weightDecay(1e-4).stepSchedule(1, 0.8).epochs(10).batchSize(64)
                .normalize(false)
                .build();
        Zoo.register(kan);
        Zoo.register(kan.toBuilder().name(QUICK_RECIPE)
                .description("a quick KAN run: 2 epochs of 12,000 images, tested on 2,000")
                .epochs(2).limitTrain(12_000).limitTest(2_000).build());
        Zoo.register(kan.toBuilder().name(CONV_RECIPE)
                .description("convolutional KAN on MNIST or Fashion-MNIST: AdamW 1e-3, wd 1e-4, lr x0.8 per epoch, 10 epochs")
                .build());
        Recipe convLong = kan.toBuilder().name(CONV_LONG_RECIPE)
                .description("convolutional KAN, longer: AdamW 1e-3, wd 1e-4, cosine to 1e-5 over 10 epochs")
                .cosineSchedule(0, 1e-5).epochs(10).build();
        Zoo.register(convLong);
        Zoo.register(convLong.toBuilder().name(CONV_SHIFT_RECIPE)
                .description("convolutional KAN, longer, with random shifts of up to 2 pixels: AdamW 1e-3, wd 1e-4, "
                        + "cosine to 1e-5 over 10 epochs")
                .randomCrop(2).build());
        Zoo.register(convLong.toBuilder().name(CONV_GRID_RECIPE)
                .description("convolutional KAN, longer, with grid updates (every 100 steps to step 1,000, on 256 "
                        + "training images): AdamW 1e-3, wd 1e-4, cosine to 1e-5 over 10 epochs")
                .gridUpdate(100, 1_000).build());
        Zoo.register(kan.toBuilder().name(CONV_QUICK_RECIPE)
                .description("a quick convolutional KAN run: 1 epoch of 6,000 images, tested on 2,000")
                .epochs(1).limitTrain(6_000).limitTest(2_000).build());

        Zoo.register(new ModelSpec("kan", "KAN [784, 64, 10] (Liu et al. 2024): B-spline edges, G=5, k=3",
                Datasets.MNIST, MNIST_RECIPE, QUICK_RECIPE,
                (in, seed) -> new Kan(in.channels() * in.height() * in.width(), 64, in.classes()).initialize(seed)));
        Zoo.register(new ModelSpec("mlp", "MLP [784, 640, 10] with ReLU: the KAN's parameter count, for comparison",
                Datasets.MNIST, MNIST_RECIPE, QUICK_RECIPE,
                (in, seed) -> new Sequential(new Flatten(), new Linear(in.channels() * in.height() * in.width(), 640),
                        new ReLU(), new Linear(640, in.classes())).initialize(seed)));
        Zoo.register(new ModelSpec("convkan-kan", "KKAN (Bodner et al. 2024): two 3x3 KAN convolutions, KAN head",
                Datasets.MNIST, CONV_RECIPE, CONV_QUICK_RECIPE,
                (in, seed) -> new ConvKan(in, ConvKan.Head.KAN, false).initialize(seed)));
        Zoo.register(new ModelSpec("convkan-mlp", "KANC MLP (Bodner et al. 2024): two 3x3 KAN convolutions, linear head",
                Datasets.MNIST, CONV_RECIPE, CONV_QUICK_RECIPE,
                (in, seed) -> new ConvKan(in, ConvKan.Head.MLP, false).initialize(seed)));
        Zoo.register(new ModelSpec("convkan-kan-bn", "KKAN with batch norm after each KAN convolution",
                Datasets.MNIST, CONV_RECIPE, CONV_QUICK_RECIPE,
                (in, seed) -> new ConvKan(in, ConvKan.Head.KAN, true).initialize(seed)));
        Zoo.register(new ModelSpec("convkan-mlp-bn", "KANC MLP with batch norm after each KAN convolution",
                Datasets.MNIST, CONV_RECIPE, CONV_QUICK_RECIPE,
                (in, seed) -> new ConvKan(in, ConvKan.Head.MLP, true).initialize(seed)));
        Zoo.register(new ModelSpec("cnn-small", "a CNN of the KANC MLP's size (conv 16, conv 32, linear), for comparison",
                Datasets.MNIST, CONV_RECIPE, CONV_QUICK_RECIPE,
                (in, seed) -> new SmallCnn(in).initialize(seed)));
    }
}
