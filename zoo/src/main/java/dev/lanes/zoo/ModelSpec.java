package dev.lanes.zoo;

import dev.lanes.nn.Module;
import dev.lanes.nn.data.Datasets;

import java.util.Objects;

/**
 * A model of the zoo: its name on the command line, a one-line description, the data set it is
 * trained on by default, the recipe it trains with there, the recipe for its synthetic
 * stand-in (a quicker run, used when the natural data set is not downloaded), and how to build it.
 */
public record ModelSpec(String name, String description, String dataset, String recipe, String syntheticRecipe,
                        ModelFactory factory) {
    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(factory, "factory");
        if (!Datasets.isKnown(dataset)) {
            throw new IllegalArgumentException("model " + name + ": unknown natural data set " + dataset);
        }
        Objects.requireNonNull(recipe, "recipe");
        syntheticRecipe = syntheticRecipe == null ? recipe : syntheticRecipe;
    }

    /** A model whose synthetic stand-in trains with the same recipe. */
    public ModelSpec(String name, String description, String dataset, String recipe, ModelFactory factory) {
        this(name, description, dataset, recipe, null, factory);
    }

    /** The model for {@code input}, in training mode, weights from {@code seed}. */
    public Module create(ModelInput input, long seed) {
        Module m = factory.create(input, seed);
        if (m == null) {
            throw new IllegalStateException("the factory of model " + name + " returned null");
        }
        m.train();
        return m;
    }

    /** The recipe used by default on {@code datasetName}: the synthetic one on generated data. */
    public String recipeFor(String datasetName) {
        return Datasets.isSynthetic(datasetName) ? syntheticRecipe : recipe;
    }

    /** The input the model takes on its natural data set with its default recipe. */
    public ModelInput naturalInput() {
        return Zoo.recipe(recipe).input(dataset);
    }

    /** Trainable parameters on the natural input (builds the model once). */
    public long parameterCount() {
        return create(naturalInput(), 0).parameterCount();
    }
}
