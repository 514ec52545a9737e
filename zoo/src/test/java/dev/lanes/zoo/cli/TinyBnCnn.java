package dev.lanes.zoo.cli;

import dev.lanes.nn.Sequential;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Dropout;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;

/**
 * A model for the reliability tests of {@code lanes train}: a tiny CNN with batch norm (8
 * channels, so that its per-channel loops split over up to 8 threads) and
 * dropout (so that buffers, masks and their seeds all matter), trained by a recipe of 4 epochs of
 * 80 steps on 1,280 synthetic digits: a few hundred steps in a few seconds.
 */
final class TinyBnCnn {
    static final String MODEL = "tiny-bn-cnn";
    static final String RECIPE = "tiny-bn";
    private static boolean registered;

    private TinyBnCnn() {
    }

    static synchronized void register() {
        if (registered) {
            return;
        }
        Zoo.register(Recipe.builder(RECIPE).description("4 epochs of 1,280 images, batch 16: 320 steps")
                .optimizer("sgd").lr(0.05).momentum(0.9).weightDecay(5e-4).schedule("cosine")
                .epochs(4).batchSize(16).limitTrain(1280).limitTest(64).normalize(true).build());
        Zoo.register(new ModelSpec(MODEL, "conv 8@3x3 stride 2, batch norm, ReLU, max-pool, dropout 0.25, linear",
                Datasets.MNIST, RECIPE, RECIPE, (in, seed) -> new Sequential(
                        new Conv2d(in.channels(), 8, 3, 2, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                        new Flatten(), new Dropout(0.25f),
                        new Linear(8 * (in.height() / 4) * (in.width() / 4), in.classes())).initialize(seed)));
        registered = true;
    }

    /** {@code lanes} with this model registered, for child JVMs. */
    public static void main(String[] args) {
        register();
        LanesCli.main(args);
    }
}
