package dev.lanes.zoo.models.capsnet;

import dev.lanes.nn.data.Datasets;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;

/** Registers CapsNet and its recipes in the {@link Zoo}. */
public final class CapsNets {
    /**
     * The paper's training: Adam (TensorFlow defaults, lr 1e-3) with an exponentially decaying
     * learning rate (times 0.96 per epoch; the reference code decays by 0.96 every 2,000 steps of
     * 128, about 4 epochs, which over a run of a few dozen epochs here would hardly decay), images
     * shifted by up to 2 pixels, pixels in [0, 1] (the decoder redraws them), batch 128 as in the
     * reference code. Three routing iterations and the reconstruction weight 0.0005 are the
     * model's ({@link CapsNet#PAPER}, {@link CapsNet#RECONSTRUCTION_WEIGHT}).
     */
    public static final String MNIST_RECIPE = "capsnet-mnist";
    /** A short run: 1 epoch of 3,000 images, tested on 1,000. */
    public static final String QUICK_RECIPE = "capsnet-quick";

    private CapsNets() {
    }

    public static void register() {
        Recipe full = Recipe.builder(MNIST_RECIPE)
                .description("CapsNet on MNIST: Adam 1e-3, lr x0.96 per epoch, 2-pixel shifts, batch 128, 50 epochs")
                .optimizer("adam").lr(1e-3).stepSchedule(1, 0.96).epochs(50).batchSize(128).randomCrop(2)
                .normalize(false)
                .build();
        Zoo.register(full);
        Zoo.register(full.toBuilder().name(QUICK_RECIPE)
                .description("a short CapsNet run: 1 epoch of 3,000 images, tested on 1,000")
                .epochs(1).limitTrain(3_000).limitTest(1_000).build());
        Zoo.register(new ModelSpec("capsnet", "CapsNet (Sabour et al. 2017): dynamic routing (3 iterations), "
                + "margin loss, reconstruction decoder", Datasets.MNIST, MNIST_RECIPE, QUICK_RECIPE,
                (in, seed) -> new CapsNet(in).initialize(seed)));
    }
}
