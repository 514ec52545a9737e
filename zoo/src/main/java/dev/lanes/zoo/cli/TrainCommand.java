package dev.lanes.zoo.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.nn.Module;
import dev.lanes.nn.data.DataLoader;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Seeds;
import dev.lanes.nn.data.Split;
import dev.lanes.nn.data.Transform;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.layers.KANGridUpdate;
import dev.lanes.nn.optim.Optimizer;
import dev.lanes.nn.train.Checkpoint;
import dev.lanes.nn.train.ConsoleProgress;
import dev.lanes.nn.train.EpochMetrics;
import dev.lanes.nn.train.NonFiniteLossException;
import dev.lanes.nn.train.StopOnShutdown;
import dev.lanes.nn.train.TrainListener;
import dev.lanes.nn.train.Trainer;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code lanes train MODEL}: trains a zoo model with its recipe (or a named one, with single
 * fields overridden by flags) on its natural data set, or on the synthetic stand-in when that
 * is not downloaded. Writes weights, checkpoints, metrics and curves with {@code --out}; resumes
 * with {@code --resume}. Exit codes: 0 done, 2 bad arguments or data, 1 failure (a NaN loss
 * included), 130 when stopped by Ctrl-C (after saving a checkpoint).
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a model of the zoo (see 'lanes models').",
            "Without --dataset the model trains on its natural data set if it is in the data directory, else on the "
                + "synthetic stand-in of the same shape (say, synthetic-digits for MNIST) with a shorter recipe.",
            "Ctrl-C saves a checkpoint (with --out) at the next step and exits; --resume continues from it and ends "
                + "with the same weights as an uninterrupted run."})
final class TrainCommand implements Callable<Integer> {
    /** Exit code after a stop on request (Ctrl-C): 128 + SIGINT, as shells report it. */
    static final int EXIT_INTERRUPTED = 130;
    static final long DEFAULT_SEED = 1;
    private static final long LOADER_STREAM = 0x4C4F4144L;
    /** Training images the KAN grid updates fit to. */
    static final int GRID_SAMPLE = 256;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "MODEL", description = "A model name (see 'lanes models').")
    String model;

    @Mixin
    DataOptions data;

    @Option(names = "--recipe", paramLabel = "R", description = "A named recipe (default: the model's; see 'lanes models --recipes').")
    String recipe;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs (overrides the recipe).")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (overrides the recipe).")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate, the peak for one-cycle (overrides the recipe).")
    Double lr;

    @Option(names = "--optimizer", paramLabel = "O", description = "sgd, adam or adamw (overrides the recipe).")
    String optimizer;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (overrides the recipe).")
    Double momentum;

    @Option(names = "--weight-decay", paramLabel = "W", description = "Weight decay, not applied to biases and normalisation parameters.")
    Double weightDecay;

    @Option(names = "--schedule", paramLabel = "S", description = "constant, step, cosine or one-cycle (overrides the recipe).")
    String schedule;

    @Option(names = "--label-smoothing", paramLabel = "E", description = "Label smoothing of the cross-entropy.")
    Double labelSmoothing;

    @Option(names = "--clip-grad", paramLabel = "NORM", description = "Clip the gradient norm to NORM (0 = off).")
    Double clipGrad;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of weights, shuffling, augmentation and dropout (default: 1).")
    Long seed;

    @Option(names = "--limit-train", paramLabel = "N", description = "Train on the first N images only.")
    Integer limitTrain;

    @Option(names = "--limit-test", paramLabel = "N", description = "Test on the first N images only.")
    Integer limitTest;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write model.safetensors, a checkpoint per epoch, metrics.jsonl and curves.png here.")
    Path out;

    @Option(names = "--metrics-out", paramLabel = "FILE", description = "Write one JSON object per epoch to FILE.")
    Path metricsOut;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue from a checkpoint (its .json or .safetensors file, or a folder: its newest).")
    Path resume;

    @Option(names = "--keep-checkpoints", paramLabel = "N", defaultValue = "3",
            description = "Keep the newest N checkpoints in --out (0 = all; default: ${DEFAULT-VALUE}).")
    int keepCheckpoints;

    @Option(names = "--skip-nonfinite",
            description = "Skip a step whose loss or gradients are NaN or infinite (with a warning) instead of stopping.")
    boolean skipNonFinite;

    @Mixin
    ThreadsOption threads;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What to train, on what, how. */
    private record Plan(ModelSpec model, String dataset, String note, Recipe recipe, long seed) {
    }

    @Override
    public Integer call() throws IOException {
        int threadCount = threads.apply();
        ModelSpec m = Zoo.model(model);
        if (keepCheckpoints < 0) {
            throw new IllegalArgumentException("--keep-checkpoints must be >= 0, got " + keepCheckpoints);
        }
        Path dir = data.directory();
        Checkpoint from = resume == null ? null : Checkpoint.read(resume);
        Plan plan = from == null ? freshPlan(m, dir) : resumedPlan(m, from);
        Recipe r = plan.recipe();
        Path outDir = out != null ? out : from != null ? from.json().toAbsolutePath().getParent() : null;

        Dataset trainSet = Datasets.open(plan.dataset(), Split.TRAIN, dir, r.limitTrain());
        Dataset testSet = Datasets.open(plan.dataset(), Split.TEST, dir, r.limitTest());
        ModelInput input = r.input(plan.dataset());
        Module net = m.create(input, plan.seed());
        Optimizer opt = r.optimizer(net);
        DataLoader train = DataLoader.builder(trainSet).batchSize(r.batchSize()).seed(Seeds.of(plan.seed(), LOADER_STREAM))
                .transforms(r.trainTransforms(plan.dataset())).build();
        DataLoader test = DataLoader.builder(testSet).batchSize(r.batchSize()).shuffle(false)
                .transforms(r.testTransforms(plan.dataset())).build();
        WeightsInfo info = WeightsInfo.of(m.name(), plan.dataset(), r);

        PrintWriter o = spec.commandLine().getOut();
        if (plan.note() != null) {
            o.println(plan.note());
        }
        o.println(String.format(Locale.ROOT, "training %s (%,d parameters, input %dx%dx%d) on %s: %,d training and %,d test "
                        + "images, %d epoch%s; recipe %s: %s; %d thread%s, seed %d", m.name(), net.parameterCount(),
                input.channels(), input.height(), input.width(), plan.dataset(), trainSet.size(), testSet.size(),
                r.epochs(), r.epochs() == 1 ? "" : "s", r.name(), r.summary(), threadCount, threadCount == 1 ? "" : "s",
                plan.seed()));

        Map<String, Object> run = new LinkedHashMap<>();
        run.put("model", m.name());
        run.put("dataset", plan.dataset());
        run.put("seed", plan.seed());
        run.put("recipe", JSON.convertValue(r, Map.class));
        Trainer trainer = Trainer.builder(net, opt, train).test(test).epochs(r.epochs()).seed(plan.seed())
                .schedule(r.schedule(train.batchesPerEpoch())).momentumSchedule(r.momentumSchedule(train.batchesPerEpoch()))
                .labelSmoothing(r.labelSmoothing()).gradClip(r.gradClip())
                .checkpoints(outDir).keepCheckpoints(keepCheckpoints).weightsMetadata(info.toMetadata()).run(run)
                .listener(new ConsoleProgress(o, ConsoleProgress.isTerminal()))
                .skipNonFinite(skipNonFinite).listener(new SkipWarnings(spec.commandLine().getErr()))
                .build();
        List<EpochMetrics> history = new ArrayList<>();
        if (from != null) {
            trainer.resumeFrom(from);
            history.addAll(from.metrics());
            o.println(String.format(Locale.ROOT, "resuming from %s: epoch %d, after batch %d (step %,d)", from.json(),
                    from.epoch() + (from.batch() == 0 ? 0 : 1), from.batch(), from.step()));
        }
        if (r.gridUpdateEvery() > 0) {
            trainer.addListener(new KANGridUpdate(net, firstImages(trainSet, r.testTransforms(plan.dataset())),
                    r.gridUpdateEvery(), r.gridUpdateUntil()));
        }
        String title = m.name() + " on " + plan.dataset();
        trainer.addListener(new EpochFiles(history, outDir, metricsOut, title, CurvesChart::write,
                spec.commandLine().getErr()));
        o.flush();

        try (StopOnShutdown guard = StopOnShutdown.install(trainer, spec.commandLine().getErr(), Duration.ofMinutes(2))) {
            Trainer.Result res;
            try {
                res = trainer.fit();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            if (res.stopped()) {
                if (res.lastCheckpoint() != null) {
                    o.println("resume with: lanes train " + m.name() + " --resume " + res.lastCheckpoint());
                }
                o.flush();
                return EXIT_INTERRUPTED;
            }
            Path weights = null;
            if (outDir != null) {
                weights = outDir.resolve("model.safetensors");
                Safetensors.save(weights, net.stateDict(), info.toMetadata());
            }
            if (trainer.skippedSteps() > 0) {
                o.println(String.format(Locale.ROOT, "skipped %,d step%s with a non-finite loss or gradient",
                        trainer.skippedSteps(), trainer.skippedSteps() == 1 ? "" : "s"));
            }
            EpochMetrics last = res.last();
            double seconds = res.metrics().stream().mapToDouble(EpochMetrics::seconds).sum();
            o.println(String.format(Locale.ROOT, "done: test accuracy %.2f%% (loss %.4f) after %d epoch%s, %.1f s of "
                            + "training%s", 100 * last.testAcc(), last.testLoss(), last.epoch(), last.epoch() == 1 ? "" : "s",
                    seconds, weights == null ? "" : "; weights in " + weights));
            o.flush();
            return LanesCli.EXIT_OK;
        }
    }

    /** The first {@value #GRID_SAMPLE} training images without augmentation: the data of the KAN grid updates. */
    private static Tensor firstImages(Dataset set, Transform[] transforms) {
        DataLoader first = DataLoader.builder(set).batchSize(Math.min(GRID_SAMPLE, set.size())).shuffle(false)
                .transforms(transforms).build();
        try (DataLoader.Epoch e = first.epoch(0)) {
            return e.next().images().copy();
        }
    }

    private Plan freshPlan(ModelSpec m, Path dir) {
        DataChoice choice = DataChoice.choose(m, data.dataset, dir);
        Recipe base = Zoo.recipe(recipe != null ? recipe : m.recipeFor(choice.dataset()));
        return new Plan(m, choice.dataset(), choice.note(), overridden(base), seed == null ? DEFAULT_SEED : seed);
    }

    /** The run of a checkpoint; flags may repeat its settings but not change them. */
    private Plan resumedPlan(ModelSpec m, Checkpoint c) {
        Map<String, Object> run = c.run();
        if (!m.name().equals(run.get("model"))) {
            throw new IllegalArgumentException("--resume: " + c.json() + " is a checkpoint of " + run.get("model")
                    + ", not of " + m.name());
        }
        Recipe saved;
        String ds;
        long s;
        try {
            saved = JSON.convertValue(run.get("recipe"), Recipe.class);
            ds = Objects.requireNonNull((String) run.get("dataset"), "dataset");
            s = ((Number) Objects.requireNonNull(run.get("seed"), "seed")).longValue();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--resume: " + c.json() + " does not describe its run (" + e.getMessage()
                    + ")", e);
        }
        List<String> changed = new ArrayList<>();
        if (data.dataset != null && !Datasets.canonicalName(data.dataset).equals(ds)) {
            changed.add("--dataset " + data.dataset + " (the run's: " + ds + ")");
        }
        if (seed != null && seed != s) {
            changed.add("--seed " + seed + " (the run's: " + s + ")");
        }
        if (recipe != null && !recipe.equals(saved.name())) {
            changed.add("--recipe " + recipe + " (the run's: " + saved.name() + ")");
        }
        Map<?, ?> before = JSON.convertValue(saved, Map.class);
        Map<?, ?> after = JSON.convertValue(overridden(saved), Map.class);
        for (Object k : before.keySet()) {
            if (!Objects.equals(before.get(k), after.get(k))) {
                changed.add(k + " " + after.get(k) + " (the run's: " + before.get(k) + ")");
            }
        }
        if (!changed.isEmpty()) {
            throw new IllegalArgumentException("--resume continues a run with its own settings; these options change "
                    + "them: " + String.join(", ", changed));
        }
        return new Plan(m, ds, null, saved, s);
    }

    /** {@code base} with the fields given on the command line. */
    private Recipe overridden(Recipe base) {
        Recipe.Builder b = base.toBuilder();
        if (epochs != null) {
            b.epochs(epochs);
        }
        if (batchSize != null) {
            b.batchSize(batchSize);
        }
        if (lr != null) {
            b.lr(lr);
        }
        if (optimizer != null) {
            b.optimizer(optimizer);
        }
        if (momentum != null) {
            b.momentum(momentum);
        }
        if (weightDecay != null) {
            b.weightDecay(weightDecay);
        }
        if (schedule != null) {
            b.schedule(schedule);
        }
        if (labelSmoothing != null) {
            b.labelSmoothing(labelSmoothing);
        }
        if (clipGrad != null) {
            b.gradClip(clipGrad);
        }
        if (limitTrain != null) {
            b.limitTrain(limitTrain);
        }
        if (limitTest != null) {
            b.limitTest(limitTest);
        }
        return b.build();
    }

    /** One line on standard error per skipped step, the first ten of them. */
    private static final class SkipWarnings implements TrainListener {
        private static final int SHOWN = 10;
        private final PrintWriter err;
        private int count;

        SkipWarnings(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void stepSkipped(NonFiniteLossException reason) {
            if (++count <= SHOWN) {
                err.println("lanes: skipped: " + reason.getMessage().replaceFirst("; training stopped.*", "")
                        + (count == SHOWN ? " (further skips are counted, not shown)" : ""));
                err.flush();
            }
        }
    }
}
