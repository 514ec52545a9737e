package dev.lanes.zoo.cli;

import dev.lanes.nn.Module;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Transform;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.io.StateDict;
import dev.lanes.zoo.DatasetDefaults;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A weights file given to {@code eval} or {@code predict}, and how images must be prepared for
 * it: as recorded in its metadata by {@code lanes train}, else as the model's default recipe
 * prepares the data set's images.
 */
final class TrainedWeights {
    private final ModelSpec spec;
    private final Path file;
    private final StateDict tensors;
    private final WeightsInfo info;

    private TrainedWeights(ModelSpec spec, Path file, StateDict tensors, WeightsInfo info) {
        this.spec = spec;
        this.file = file;
        this.tensors = tensors;
        this.info = info;
    }

    /** Reads {@code file} (a corrupt one throws CorruptFileException); weights of another model are refused. */
    static TrainedWeights read(ModelSpec spec, Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        WeightsInfo info = WeightsInfo.fromMetadata(file, c.metadata());
        if (info != null && !info.model().equals(spec.name())) {
            throw new IllegalArgumentException(file + " holds weights of " + info.model() + ", not of " + spec.name());
        }
        return new TrainedWeights(spec, file, c.tensors(), info);
    }

    /** The data set the weights were trained on (by their metadata), else the model's natural one. */
    String trainedOn() {
        return info != null ? info.dataset() : spec.dataset();
    }

    /** How images of {@code dataset} are prepared for these weights. */
    Preparation preparation(String dataset) {
        if (info == null) {
            Recipe r = Zoo.recipe(spec.recipeFor(dataset));
            return new Preparation(Datasets.imageShape(dataset), r.input(dataset), r.testTransforms(dataset),
                    DatasetDefaults.classNames(dataset));
        }
        int[] shape = Datasets.imageShape(dataset);
        if (!Arrays.equals(shape, info.imageShape()) || DatasetDefaults.classNames(dataset).size() != info.classes().size()) {
            throw new IllegalArgumentException(file + " was trained on " + info.dataset() + " (" + info.imageShape()[0] + "x"
                    + info.imageShape()[1] + "x" + info.imageShape()[2] + " images, " + info.classes().size()
                    + " classes); " + dataset + " has " + shape[0] + "x" + shape[1] + "x" + shape[2] + " images and "
                    + DatasetDefaults.classNames(dataset).size() + " classes");
        }
        return new Preparation(shape, info.input(), info.testTransforms(), info.classes());
    }

    /** The model with these weights, in eval mode; names or shapes that differ throw (listing every difference). */
    Module model(ModelInput input) {
        Module m = spec.create(input, 0);
        m.loadStateDict(tensors, file.toString());
        m.eval();
        return m;
    }

    /**
     * @param imageShape {@code [C, H, W]} of an image before the transforms
     * @param input      what the model takes after them
     */
    record Preparation(int[] imageShape, ModelInput input, Transform[] transforms, List<String> classes) {
    }
}
