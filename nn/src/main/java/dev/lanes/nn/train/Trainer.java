package dev.lanes.nn.train;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Batch;
import dev.lanes.nn.data.DataLoader;
import dev.lanes.nn.data.Seeds;
import dev.lanes.nn.optim.GradClip;
import dev.lanes.nn.optim.LrSchedule;
import dev.lanes.nn.optim.Optimizer;
import dev.lanes.nn.optim.Sgd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongToDoubleFunction;

/**
 * The training loop: epochs over a {@link DataLoader}, one optimizer step per batch, an
 * evaluation per epoch, metrics, listeners and checkpoints.
 *
 * <p>A step: set the learning rate (and SGD's momentum, for one-cycle) from the schedule at the
 * optimizer's step count, zero the gradients, open {@code Tape.recording(seed)} with a seed
 * derived from (run seed, epoch, batch) so dropout masks repeat on resume, compute the loss
 * ({@link CustomLoss} when the model implements it, else cross-entropy with optional label
 * smoothing on {@code forward}'s output), stop with a {@link NonFiniteLossException} if it is
 * NaN or infinite (before any update), back-propagate, stop the same way if a gradient is not
 * finite (naming the first parameter, in the model's order, whose gradient is not), clip the
 * gradient norm if asked, step the optimizer. With {@link Builder#skipNonFinite} such a step is
 * skipped instead: no update, the batch left out of the epoch's sums, the listeners told. Nothing large is allocated per step: the tape borrows from a pool, batches are
 * reused by the loader, the progress object by the trainer.
 *
 * <p>Evaluation runs in eval mode under an inference tape. With a checkpoint folder, a
 * checkpoint is written at the end of every epoch and when {@link #requestStop()} is called
 * (e.g. from a shutdown hook on Ctrl-C): the trainer stops at the next step boundary, writes
 * one and returns. Resuming ({@link #resumeFrom}) restores weights, optimizer state, position,
 * partial sums and metrics, and skips the batches already seen, so the run ends with the same
 * weights, bit for bit, as one never interrupted.
 */
public final class Trainer {
    private static final long DROPOUT_STREAM = 0x44524F50L;

    private final Module model;
    private final Optimizer optimizer;
    private final DataLoader train;
    private final DataLoader test;
    private final int epochs;
    private final LrSchedule schedule;
    private final LongToDoubleFunction momentumSchedule;
    private final float labelSmoothing;
    private final double gradClip;
    private final long seed;
    private final Path checkpointDir;
    private final int keepCheckpoints;
    private final Map<String, String> weightsMetadata;
    private final Map<String, Object> run;
    private final List<TrainListener> listeners;
    private final List<Var> parameters;
    private final StepProgress progress = new StepProgress();
    private final boolean skipNonFinite;
    private final List<String> parameterNames;
    private volatile boolean stopRequested;
    private int lastCorrect;
    private boolean lastSkipped;
    private long skippedSteps;

    private int startEpoch;
    private int startBatch;
    private Checkpoint.Partial startPartial = Checkpoint.Partial.NONE;
    private final List<EpochMetrics> history = new ArrayList<>();
    private Path lastCheckpoint;

    private Trainer(Builder b) {
        this.model = b.model;
        this.optimizer = b.optimizer;
        this.train = b.train;
        this.test = b.test;
        this.epochs = b.epochs;
        this.schedule = b.schedule == null ? LrSchedule.constant(optimizer.lr()) : b.schedule;
        this.momentumSchedule = b.momentumSchedule;
        this.labelSmoothing = b.labelSmoothing;
        this.gradClip = b.gradClip;
        this.seed = b.seed;
        this.checkpointDir = b.checkpointDir;
        this.keepCheckpoints = b.keepCheckpoints;
        this.weightsMetadata = Map.copyOf(b.weightsMetadata);
        this.run = b.run;
        this.listeners = new CopyOnWriteArrayList<>(b.listeners);
        this.parameters = List.copyOf(optimizer.parameters().values());
        this.parameterNames = List.copyOf(optimizer.parameters().keySet());
        this.skipNonFinite = b.skipNonFinite;
        if (momentumSchedule != null && !(optimizer instanceof Sgd)) {
            throw new IllegalArgumentException("a momentum schedule needs SGD, got " + optimizer.getClass().getSimpleName());
        }
    }

    public static Builder builder(Module model, Optimizer optimizer, DataLoader train) {
        return new Builder(model, optimizer, train);
    }

    /** The outcome of {@link #fit}: every epoch's metrics (resumed ones included) and whether it stopped early. */
    public record Result(List<EpochMetrics> metrics, boolean stopped, Path lastCheckpoint) {
        /** The last epoch's metrics, or null when none finished. */
        public EpochMetrics last() {
            return metrics.isEmpty() ? null : metrics.get(metrics.size() - 1);
        }
    }

    public void addListener(TrainListener l) {
        listeners.add(Objects.requireNonNull(l));
    }

    /** Asks the trainer to stop at the next step boundary (thread-safe; e.g. from a shutdown hook). */
    public void requestStop() {
        stopRequested = true;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /** Steps skipped so far because the loss or a gradient was not finite (with {@link Builder#skipNonFinite}). */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** The newest checkpoint written (or resumed from), or null. */
    public Path lastCheckpoint() {
        return lastCheckpoint;
    }

    /**
     * Continues from {@code c}: loads its weights and optimizer state and its position. The run
     * must have the same shape (batches per epoch, images, epochs, seed) as the checkpoint's.
     */
    public void resumeFrom(Checkpoint c) throws IOException {
        List<String> diffs = new ArrayList<>();
        if (c.batchesPerEpoch() != train.batchesPerEpoch()) {
            diffs.add(c.batchesPerEpoch() + " batches per epoch in the checkpoint, " + train.batchesPerEpoch() + " now");
        }
        if (c.imagesPerEpoch() != train.samplesPerEpoch()) {
            diffs.add(c.imagesPerEpoch() + " images per epoch in the checkpoint, " + train.samplesPerEpoch() + " now");
        }
        if (c.epochs() != epochs) {
            diffs.add(c.epochs() + " epochs in the checkpoint, " + epochs + " now");
        }
        if (c.seed() != seed) {
            diffs.add("seed " + c.seed() + " in the checkpoint, " + seed + " now");
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + c.json() + ": the run differs ("
                    + String.join("; ", diffs) + ")");
        }
        c.restore(model, optimizer);
        startEpoch = c.epoch();
        startBatch = c.batch();
        startPartial = c.partial();
        history.clear();
        history.addAll(c.metrics());
        lastCheckpoint = c.json();
    }

    /** Trains from the current position to the last epoch (or until stopped). */
    public Result fit() throws IOException {
        model.train();
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            int first = epoch == startEpoch ? startBatch : 0;
            Checkpoint.Partial partial = epoch == startEpoch ? startPartial : Checkpoint.Partial.NONE;
            EpochMetrics m = runEpoch(epoch, first, partial);
            if (m == null) {
                return new Result(List.copyOf(history), true, lastCheckpoint);
            }
        }
        startEpoch = epochs;
        startBatch = 0;
        return new Result(List.copyOf(history), false, lastCheckpoint);
    }

    /** One epoch from batch {@code first}; null when stopped (after writing a checkpoint). */
    private EpochMetrics runEpoch(int epoch, int first, Checkpoint.Partial partial) throws IOException {
        int batches = train.batchesPerEpoch();
        for (TrainListener l : listeners) {
            l.epochStarted(epoch + 1, epochs, batches, first);
        }
        double lossSum = partial.lossSum();
        long correct = partial.correct();
        int images = partial.images();
        double seconds = partial.seconds();
        progress.epoch = epoch + 1;
        progress.epochs = epochs;
        progress.batches = batches;
        progress.imagesPerEpoch = train.samplesPerEpoch();
        int b = 0;
        long t0 = System.nanoTime();
        try (DataLoader.Epoch data = train.epoch(epoch)) {
            while (data.hasNext()) {
                if (b >= first && stopRequested) {
                    seconds += (System.nanoTime() - t0) / 1e9;
                    stop(epoch, b, new Checkpoint.Partial(lossSum, correct, images, seconds));
                    return null;
                }
                Batch batch = data.next();
                if (b < first) {
                    b++;
                    continue;
                }
                float loss = step(batch, epoch, b);
                if (!lastSkipped) {
                    lossSum += (double) loss * batch.size();
                    correct += lastCorrect;
                    images += batch.size();
                }
                b++;
                progress.batch = b;
                progress.step = optimizer.steps();
                progress.images = images;
                progress.loss = lossSum / images;
                progress.accuracy = (double) correct / images;
                progress.seconds = seconds + (System.nanoTime() - t0) / 1e9;
                progress.lr = optimizer.lr();
                for (TrainListener l : listeners) {
                    l.step(progress);
                }
            }
        }
        seconds += (System.nanoTime() - t0) / 1e9;
        Checkpoint.Partial done = new Checkpoint.Partial(lossSum, correct, images, seconds);
        if (stopRequested) {
            stop(epoch, batches, done);
            return null;
        }
        Evaluation.Result eval = null;
        if (test != null) {
            for (TrainListener l : listeners) {
                l.evaluating(epoch + 1, test.samplesPerEpoch());
            }
            eval = Evaluation.run(model, test, () -> stopRequested);
            if (eval == null) {
                stop(epoch, batches, done);
                return null;
            }
        }
        EpochMetrics m = new EpochMetrics(epoch + 1, optimizer.steps(), images == 0 ? Double.NaN : lossSum / images,
                images == 0 ? Double.NaN : (double) correct / images, eval == null ? Double.NaN : eval.loss(),
                eval == null ? Double.NaN : eval.accuracy(), seconds, seconds > 0 ? images / seconds : 0,
                optimizer.lr(), eval == null ? Double.NaN : eval.seconds(), eval == null ? Double.NaN : eval.imagesPerSec());
        history.add(m);
        for (TrainListener l : listeners) {
            l.epochFinished(m);
        }
        if (checkpointDir != null) {
            save(epoch + 1, 0, Checkpoint.Partial.NONE, true);
        }
        return m;
    }

    /** One optimizer step on {@code batch}; returns the loss. */
    private float step(Batch batch, int epoch, int b) {
        long t = optimizer.steps();
        optimizer.setLr(schedule.lr(t));
        if (momentumSchedule != null) {
            ((Sgd) optimizer).momentum(momentumSchedule.applyAsDouble(t));
        }
        optimizer.zeroGrad();
        float loss;
        try (Tape tape = Tape.recording(Seeds.of(seed ^ DROPOUT_STREAM, epoch, b))) {
            Var x = tape.input(batch.images());
            Var lossVar;
            Var scores;
            if (model instanceof CustomLoss custom) {
                CustomLoss.LossAndScores ls = custom.lossAndScores(x, batch.labels());
                lossVar = ls.loss();
                scores = ls.scores();
            } else {
                scores = model.forward(x);
                lossVar = F.crossEntropy(scores, batch.labels(), labelSmoothing);
            }
            loss = lossVar.item();
            lastSkipped = false;
            if (!Float.isFinite(loss)) {
                NonFiniteLossException e = new NonFiniteLossException(loss, epoch + 1, b, t + 1, lastCheckpoint);
                return skip(e);
            }
            tape.backward(lossVar);
            lastCorrect = Evaluation.countCorrect(scores.value(), batch.labels());
            String bad = firstNonFiniteGradient();
            if (bad != null) {
                return skip(NonFiniteLossException.ofGradient(bad, epoch + 1, b, t + 1, lastCheckpoint));
            }
        }
        if (gradClip > 0) {
            GradClip.clipNorm(parameters, gradClip);
        }
        optimizer.step();
        return loss;
    }

    /** Throws {@code e}, or with skipping on, drops the step's gradients, tells the listeners and returns NaN. */
    private float skip(NonFiniteLossException e) {
        if (!skipNonFinite) {
            throw e;
        }
        optimizer.zeroGrad();
        lastSkipped = true;
        skippedSteps++;
        for (TrainListener l : listeners) {
            l.stepSkipped(e);
        }
        return Float.NaN;
    }

    /**
     * The name of the first parameter whose gradient holds a NaN or an infinity, or null. A
     * double sum of floats cannot overflow, so it is finite exactly when every element is.
     */
    private String firstNonFiniteGradient() {
        for (int i = 0; i < parameters.size(); i++) {
            Var p = parameters.get(i);
            if (p.grad() == null) {
                continue;
            }
            float[] g = p.grad().data();
            int off = p.grad().offset();
            double sum = 0;
            for (int k = 0, n = p.grad().size(); k < n; k++) {
                sum += g[off + k];
            }
            if (!Double.isFinite(sum)) {
                return parameterNames.get(i);
            }
        }
        return null;
    }

    private void stop(int epoch, int batch, Checkpoint.Partial partial) throws IOException {
        Path written = null;
        if (checkpointDir != null) {
            written = save(epoch, batch, partial, false);
        }
        for (TrainListener l : listeners) {
            l.stopped(epoch + 1, batch, optimizer.steps(), written);
        }
    }

    private Path save(int epoch, int batch, Checkpoint.Partial partial, boolean endOfEpoch) throws IOException {
        Checkpoint c = Checkpoint.save(checkpointDir, model, weightsMetadata, optimizer, epoch, batch, seed, epochs,
                train.batchesPerEpoch(), train.samplesPerEpoch(), partial, history, run);
        lastCheckpoint = c.json();
        try {
            Checkpoint.prune(checkpointDir, keepCheckpoints);
        } catch (IOException | UncheckedIOException e) {
            // pruning is housekeeping: the new checkpoint is complete whatever happens here
        }
        for (TrainListener l : listeners) {
            l.checkpointSaved(c.json(), endOfEpoch);
        }
        return c.json();
    }

    /** Options of a {@link Trainer}. */
    public static final class Builder {
        private final Module model;
        private final Optimizer optimizer;
        private final DataLoader train;
        private DataLoader test;
        private int epochs = 1;
        private LrSchedule schedule;
        private LongToDoubleFunction momentumSchedule;
        private float labelSmoothing;
        private double gradClip;
        private long seed;
        private Path checkpointDir;
        private int keepCheckpoints;
        private Map<String, String> weightsMetadata = Map.of();
        private Map<String, Object> run = Map.of();
        private boolean skipNonFinite;
        private final List<TrainListener> listeners = new ArrayList<>();

        private Builder(Module model, Optimizer optimizer, DataLoader train) {
            this.model = Objects.requireNonNull(model, "model");
            this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
            this.train = Objects.requireNonNull(train, "train loader");
        }

        /** Evaluated after every epoch (in eval mode); none by default. */
        public Builder test(DataLoader loader) {
            test = loader;
            return this;
        }

        public Builder epochs(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("epochs must be >= 1, got " + n);
            }
            epochs = n;
            return this;
        }

        /** The learning rate per step (default: the optimizer's rate, constant). */
        public Builder schedule(LrSchedule s) {
            schedule = s;
            return this;
        }

        /** SGD's momentum per step (one-cycle), or null. */
        public Builder momentumSchedule(LongToDoubleFunction m) {
            momentumSchedule = m;
            return this;
        }

        public Builder labelSmoothing(double s) {
            if (!(s >= 0 && s < 1)) {
                throw new IllegalArgumentException("label smoothing must be in [0, 1), got " + s);
            }
            labelSmoothing = (float) s;
            return this;
        }

        /** Clips the global gradient norm to {@code maxNorm} before each update; 0 turns it off. */
        public Builder gradClip(double maxNorm) {
            if (!(maxNorm >= 0)) {
                throw new IllegalArgumentException("gradient clipping norm must be >= 0, got " + maxNorm);
            }
            gradClip = maxNorm;
            return this;
        }

        /** The run seed: dropout masks come from (seed, epoch, batch). Shuffling is the loader's own seed. */
        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Writes a checkpoint into {@code dir} after every epoch and when stopped; null for none. */
        public Builder checkpoints(Path dir) {
            checkpointDir = dir;
            return this;
        }

        /** Keeps only the newest {@code n} checkpoints (0, the default: all). */
        public Builder keepCheckpoints(int n) {
            keepCheckpoints = n;
            return this;
        }

        /** Metadata for the weights files of checkpoints (model name, classes, ...). */
        public Builder weightsMetadata(Map<String, String> m) {
            weightsMetadata = Objects.requireNonNull(m);
            return this;
        }

        /** A description of the run (model, recipe, arguments) kept in every checkpoint, for resuming. */
        public Builder run(Map<String, Object> r) {
            run = Objects.requireNonNull(r);
            return this;
        }

        /**
         * Skips a step whose loss or gradients are not finite (no update; listeners are told)
         * instead of stopping with a {@link NonFiniteLossException}.
         */
        public Builder skipNonFinite(boolean skip) {
            skipNonFinite = skip;
            return this;
        }

        public Builder listener(TrainListener l) {
            listeners.add(Objects.requireNonNull(l));
            return this;
        }

        public Trainer build() {
            return new Trainer(this);
        }
    }
}
