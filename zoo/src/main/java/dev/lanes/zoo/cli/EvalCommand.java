package dev.lanes.zoo.cli;

import dev.lanes.nn.Module;
import dev.lanes.nn.data.DataLoader;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Split;
import dev.lanes.nn.train.Evaluation;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Zoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code lanes eval MODEL --weights FILE}: loss and accuracy on a test set, and the inference speed. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate trained weights on a test set: loss, accuracy and images per second.",
            "The images are prepared as in training (padding, normalisation, from the weights' metadata)."})
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model name (see 'lanes models').")
    String model;

    @Option(names = "--weights", paramLabel = "FILE", required = true,
            description = "A .safetensors file (model.safetensors or a checkpoint's) written by 'lanes train'.")
    Path weights;

    @Mixin
    DataOptions data;

    @Option(names = "--limit-test", paramLabel = "N", description = "Evaluate on the first N test images only.")
    Integer limitTest;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    ThreadsOption threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int threadCount = threads.apply();
        if (limitTest != null && limitTest < 1) {
            throw new IllegalArgumentException("--limit-test must be >= 1, got " + limitTest);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        }
        ModelSpec m = Zoo.model(model);
        TrainedWeights w = TrainedWeights.read(m, weights);
        Path dir = data.directory();
        DataChoice choice = DataChoice.choose(w.trainedOn(), data.dataset, dir);
        TrainedWeights.Preparation prep = w.preparation(choice.dataset());
        Module net = w.model(prep.input());
        Dataset test = Datasets.open(choice.dataset(), Split.TEST, dir, limitTest == null ? -1 : limitTest);
        DataLoader loader = DataLoader.builder(test).batchSize(batchSize).shuffle(false).transforms(prep.transforms())
                .build();
        PrintWriter out = spec.commandLine().getOut();
        if (choice.note() != null) {
            out.println(choice.note());
        }
        Evaluation.Result r = Evaluation.run(net, loader);
        out.println(String.format(Locale.ROOT, "%s on %s test (%,d images): loss %.4f, accuracy %.2f%% (%,d right), "
                        + "%,.0f images/s (batch %d, %d thread%s)", m.name(), choice.dataset(), r.images(), r.loss(),
                100 * r.accuracy(), Math.round(r.accuracy() * r.images()), r.imagesPerSec(), batchSize, threadCount,
                threadCount == 1 ? "" : "s"));
        out.flush();
        return LanesCli.EXIT_OK;
    }
}
