package dev.lanes.zoo;

/**
 * What a model is built for: the {@code [channels, height, width]} of one image as the model
 * sees it (after the recipe's padding, e.g. 1x32x32 for LeNet-5 on MNIST) and the number of
 * classes.
 */
public record ModelInput(int channels, int height, int width, int classes) {
    public ModelInput {
        if (channels < 1 || height < 1 || width < 1 || classes < 2) {
            throw new IllegalArgumentException("a model input needs positive dimensions and at least 2 classes, got "
                    + channels + "x" + height + "x" + width + " with " + classes + " classes");
        }
    }

    /** {@code [C, H, W]}. */
    public int[] imageShape() {
        return new int[] {channels, height, width};
    }

    /** {@code [batch, C, H, W]}. */
    public int[] batchShape(int batch) {
        return new int[] {batch, channels, height, width};
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width + ", " + classes + " classes";
    }

    /** The same shape with another class count. */
    public ModelInput withClasses(int n) {
        return new ModelInput(channels, height, width, n);
    }
}
