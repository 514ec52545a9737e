package dev.lanes.zoo;

import dev.lanes.zoo.models.capsnet.CapsNets;
import dev.lanes.zoo.models.kan.KanModels;
import dev.lanes.zoo.models.lenet.LeNets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry of models and recipes by name, used by {@code lanes models}, {@code train},
 * {@code eval}, {@code predict} and {@code summary}. A model family registers itself with one
 * call in the static block below, e.g.
 *
 * <pre>{@code
 * public static void register() {
 *     Zoo.register(Recipe.builder("cifar-fast").optimizer("sgd").lr(0.1)...build());
 *     Zoo.register(new ModelSpec("resnet20", "ResNet-20 for CIFAR (He et al. 2016)", Datasets.CIFAR10,
 *             "cifar-fast", "cifar-quick", (in, seed) -> new ResNetCifar(3, in).initialize(seed)));
 * }
 * }</pre>
 *
 * Names are unique: registering a taken name throws. Models and recipes are listed in
 * registration order.
 */
public final class Zoo {
    private static final Map<String, ModelSpec> MODELS = new LinkedHashMap<>();
    private static final Map<String, Recipe> RECIPES = new LinkedHashMap<>();

    static {
        LeNets.register();

        dev.lanes.zoo.models.cifar.CifarModels.register();   // the CIFAR zoo (issue 6)

        // CapsNet (issue 7)
        CapsNets.register();

        // KAN and convolutional KAN (issue 7)
        KanModels.register();
    }

    private Zoo() {
    }

    public static synchronized void register(ModelSpec spec) {
        if (MODELS.containsKey(spec.name())) {
            throw new IllegalArgumentException("a model named " + spec.name() + " is already registered");
        }
        MODELS.put(spec.name(), spec);
    }

    public static synchronized void register(Recipe recipe) {
        if (RECIPES.containsKey(recipe.name())) {
            throw new IllegalArgumentException("a recipe named " + recipe.name() + " is already registered");
        }
        RECIPES.put(recipe.name(), recipe);
    }

    /** The model called {@code name}; an unknown name throws an IllegalArgumentException listing the known ones. */
    public static synchronized ModelSpec model(String name) {
        ModelSpec s = MODELS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown model '" + name + "' (known: " + String.join(", ",
                    MODELS.keySet()) + "; see 'lanes models')");
        }
        return s;
    }

    /** The recipe called {@code name}; an unknown name throws an IllegalArgumentException listing the known ones. */
    public static synchronized Recipe recipe(String name) {
        Recipe r = RECIPES.get(name);
        if (r == null) {
            throw new IllegalArgumentException("unknown recipe '" + name + "' (known: " + String.join(", ",
                    RECIPES.keySet()) + ")");
        }
        return r;
    }

    public static synchronized List<ModelSpec> models() {
        return new ArrayList<>(MODELS.values());
    }

    public static synchronized List<Recipe> recipes() {
        return new ArrayList<>(RECIPES.values());
    }
}
