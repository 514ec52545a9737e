package dev.lanes.zoo.cli;

import dev.lanes.nn.data.Normalize;
import dev.lanes.nn.data.Pad;
import dev.lanes.nn.data.Transform;
import dev.lanes.nn.io.CorruptFileException;
import dev.lanes.zoo.DatasetDefaults;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Recipe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code lanes train} writes into the {@code __metadata__} of its weights files, so that
 * {@code eval} and {@code predict} prepare images as in training: the model, the data set, the
 * recipe, the model's input shape, the class names, the padding and the normalisation.
 *
 * @param mean the normalisation means per channel, or null for none
 */
record WeightsInfo(String model, String dataset, String recipe, ModelInput input, List<String> classes, int pad,
                   float[] mean, float[] std) {
    static final String PREFIX = "lanes.";

    /** The metadata of a model trained on {@code dataset} with {@code recipe}. */
    static WeightsInfo of(String model, String dataset, Recipe recipe) {
        Normalize n = recipe.normalize() ? DatasetDefaults.normalize(dataset) : null;
        return new WeightsInfo(model, dataset, recipe.name(), recipe.input(dataset), DatasetDefaults.classNames(dataset),
                recipe.pad(), n == null ? null : n.mean(), n == null ? null : n.std());
    }

    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("format", "pt");
        m.put(PREFIX + "model", model);
        m.put(PREFIX + "dataset", dataset);
        m.put(PREFIX + "recipe", recipe);
        m.put(PREFIX + "input", input.channels() + "x" + input.height() + "x" + input.width());
        m.put(PREFIX + "classes", String.join("\t", classes));
        m.put(PREFIX + "pad", Integer.toString(pad));
        if (mean != null) {
            m.put(PREFIX + "normalize_mean", join(mean));
            m.put(PREFIX + "normalize_std", join(std));
        }
        return m;
    }

    /** Reads the metadata of {@code file}; null when it has none (weights from elsewhere). */
    static WeightsInfo fromMetadata(Path file, Map<String, String> m) throws CorruptFileException {
        if (!m.containsKey(PREFIX + "model")) {
            return null;
        }
        try {
            String[] chw = m.get(PREFIX + "input").split("x");
            List<String> classes = List.of(m.get(PREFIX + "classes").split("\t", -1));
            ModelInput input = new ModelInput(Integer.parseInt(chw[0]), Integer.parseInt(chw[1]), Integer.parseInt(chw[2]),
                    classes.size());
            int pad = Integer.parseInt(m.get(PREFIX + "pad"));
            float[] mean = m.containsKey(PREFIX + "normalize_mean") ? floats(m.get(PREFIX + "normalize_mean")) : null;
            float[] std = mean == null ? null : floats(m.get(PREFIX + "normalize_std"));
            if (pad < 0 || mean != null && (mean.length != input.channels() || std.length != mean.length)) {
                throw new IllegalArgumentException("padding or normalisation does not fit the input " + input);
            }
            return new WeightsInfo(m.get(PREFIX + "model"), m.get(PREFIX + "dataset"), m.get(PREFIX + "recipe"), input,
                    classes, pad, mean, std);
        } catch (RuntimeException e) {
            throw new CorruptFileException(file, 8, "the lanes.* metadata in the header is malformed (" + e.getMessage()
                    + ")", e);
        }
    }

    /** Pad and normalise, as the test images of the training run. */
    Transform[] testTransforms() {
        List<Transform> t = new ArrayList<>();
        if (pad > 0) {
            t.add(new Pad(pad));
        }
        if (mean != null) {
            t.add(new Normalize(mean, std));
        }
        return t.toArray(new Transform[0]);
    }

    /** {@code [C, H, W]} of the images before padding (what a data set or a PNG must give). */
    int[] imageShape() {
        return new int[] {input.channels(), input.height() - 2 * pad, input.width() - 2 * pad};
    }

    private static String join(float[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ",").append(v[i]);
        }
        return sb.toString();
    }

    private static float[] floats(String s) {
        String[] parts = s.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i].trim());
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightsInfo w && toMetadata().equals(w.toMetadata());
    }

    @Override
    public int hashCode() {
        return toMetadata().hashCode();
    }

    @Override
    public String toString() {
        return toMetadata().toString();
    }
}
