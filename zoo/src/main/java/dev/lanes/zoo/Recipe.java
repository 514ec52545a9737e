package dev.lanes.zoo;

import dev.lanes.nn.Module;
import dev.lanes.nn.data.HorizontalFlip;
import dev.lanes.nn.data.Pad;
import dev.lanes.nn.data.RandomCrop;
import dev.lanes.nn.data.Transform;
import dev.lanes.nn.optim.Adam;
import dev.lanes.nn.optim.AdamW;
import dev.lanes.nn.optim.LrSchedule;
import dev.lanes.nn.optim.OneCycle;
import dev.lanes.nn.optim.Optimizer;
import dev.lanes.nn.optim.Sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;

/**
 * A named training preset ({@code lanes train resnet20 --recipe cifar-fast}): optimizer and its
 * settings, learning-rate schedule, epochs, batch size, label smoothing, gradient clipping, the
 * data augmentation, and optional limits on the number of images. Command-line flags override
 * single fields ({@link #toBuilder}). Weight decay applies only to parameters that accept it
 * (layers exempt biases and normalisation parameters).
 *
 * @param optimizer    {@code sgd}, {@code adam} or {@code adamw}
 * @param momentum     SGD momentum (ignored by Adam)
 * @param schedule     {@code constant}, {@code step} (times {@code gamma} every {@code stepEpochs}),
 *                     {@code cosine} (linear warm-up over {@code warmupEpochs}, then down to {@code minLr})
 *                     or {@code one-cycle} (PyTorch's OneCycleLR peaking at {@code lr}; with
 *                     {@code cycleMomentum} SGD's momentum cycles 0.95 to 0.85 and back)
 * @param warmupEpochs the learning rate's rise at the start: cosine's linear warm-up, one-cycle's
 *                     climb to its peak (0 = PyTorch's 30% of the run); at most half the run
 * @param gradClip     clip the global gradient norm to this value; 0 = off
 * @param pad          pixels of zero padding on every side for training and testing (2 turns MNIST into 32x32)
 * @param cropPadding  random crop of the (padded) size after this much extra padding; 0 = off
 * @param limitTrain   use only the first N training images; -1 = all
 * @param gridUpdateEvery KAN models: refit the spline grids to the data after every N optimizer steps
 *                     ({@code KANGridUpdate}, as the KAN paper's {@code update_grid}); 0 = off
 * @param gridUpdateUntil the last step after which a grid update may happen
 */
public record Recipe(String name, String description, String optimizer, double lr, double momentum, boolean nesterov,
                     double weightDecay, String schedule, int stepEpochs, double gamma, double warmupEpochs,
                     double minLr, boolean cycleMomentum, int epochs, int batchSize, double labelSmoothing,
                     double gradClip, int pad, int cropPadding, boolean flip, boolean normalize, int limitTrain,
                     int limitTest, int gridUpdateEvery, int gridUpdateUntil) {
    public static final List<String> OPTIMIZERS = List.of("sgd", "adam", "adamw");
    public static final List<String> SCHEDULES = List.of("constant", "step", "cosine", "one-cycle");

    public Recipe {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a recipe needs a name");
        }
        description = description == null ? "" : description;
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        schedule = schedule.toLowerCase(Locale.ROOT);
        require(OPTIMIZERS.contains(optimizer), "optimizer must be one of " + OPTIMIZERS + ", got '" + optimizer + "'");
        require(SCHEDULES.contains(schedule), "schedule must be one of " + SCHEDULES + ", got '" + schedule + "'");
        require(lr > 0 && Double.isFinite(lr), "learning rate must be a finite number > 0, got " + lr);
        require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
        require(!nesterov || momentum > 0, "Nesterov momentum needs momentum > 0");
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay);
        require(stepEpochs >= 1, "step schedule: epochs per step must be >= 1, got " + stepEpochs);
        require(gamma > 0 && gamma <= 1, "step schedule: gamma must be in (0, 1], got " + gamma);
        require(warmupEpochs >= 0 && Double.isFinite(warmupEpochs), "warm-up must be >= 0 epochs, got " + warmupEpochs);
        require(minLr >= 0 && minLr <= lr, "minimum learning rate must be in [0, lr], got " + minLr);
        require(epochs >= 1, "epochs must be >= 1, got " + epochs);
        require(batchSize >= 1, "batch size must be >= 1, got " + batchSize);
        require(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got " + labelSmoothing);
        require(gradClip >= 0 && Double.isFinite(gradClip), "gradient clipping norm must be >= 0 (0 = off), got "
                + gradClip);
        require(pad >= 0 && cropPadding >= 0, "padding must be >= 0");
        require(limitTrain == -1 || limitTrain >= 1, "--limit-train must be >= 1, got " + limitTrain);
        require(limitTest == -1 || limitTest >= 1, "--limit-test must be >= 1, got " + limitTest);
        require(gridUpdateEvery >= 0, "grid update interval must be >= 0 steps (0 = off), got " + gridUpdateEvery);
        require(gridUpdateEvery == 0 || gridUpdateUntil >= gridUpdateEvery, "grid updates until step "
                + gridUpdateUntil + " with one every " + gridUpdateEvery + " steps: none would happen");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** A builder holding this recipe's values (to override some of them). */
    public Builder toBuilder() {
        Builder b = new Builder(name);
        b.description = description;
        b.optimizer = optimizer;
        b.lr = lr;
        b.momentum = momentum;
        b.nesterov = nesterov;
        b.weightDecay = weightDecay;
        b.schedule = schedule;
        b.stepEpochs = stepEpochs;
        b.gamma = gamma;
        b.warmupEpochs = warmupEpochs;
        b.minLr = minLr;
        b.cycleMomentum = cycleMomentum;
        b.epochs = epochs;
        b.batchSize = batchSize;
        b.labelSmoothing = labelSmoothing;
        b.gradClip = gradClip;
        b.pad = pad;
        b.cropPadding = cropPadding;
        b.flip = flip;
        b.normalize = normalize;
        b.limitTrain = limitTrain;
        b.limitTest = limitTest;
        b.gridUpdateEvery = gridUpdateEvery;
        b.gridUpdateUntil = gridUpdateUntil;
        return b;
    }

    // ---- what a trainer needs --------------------------------------------------------------

    /** The input a model sees on {@code dataset}: its images after the padding, and its class count. */
    public ModelInput input(String dataset) {
        int[] chw = dev.lanes.nn.data.Datasets.imageShape(dataset);
        return new ModelInput(chw[0], chw[1] + 2 * pad, chw[2] + 2 * pad,
                DatasetDefaults.classNames(dataset).size());
    }

    /** Pad, random crop, flip, normalise: the training augmentation for {@code dataset}. */
    public Transform[] trainTransforms(String dataset) {
        return transforms(dataset, true);
    }

    /** Pad and normalise: what every test or prediction image goes through. */
    public Transform[] testTransforms(String dataset) {
        return transforms(dataset, false);
    }

    private Transform[] transforms(String dataset, boolean train) {
        ModelInput in = input(dataset);
        List<Transform> t = new ArrayList<>();
        if (pad > 0) {
            t.add(new Pad(pad));
        }
        if (train && cropPadding > 0) {
            t.add(new RandomCrop(in.height(), in.width(), cropPadding, 0f));
        }
        if (train && flip) {
            t.add(new HorizontalFlip());
        }
        if (normalize) {
            t.add(DatasetDefaults.normalize(dataset));
        }
        return t.toArray(new Transform[0]);
    }

    /** The optimizer over {@code model}'s parameters. */
    public Optimizer optimizer(Module model) {
        return switch (optimizer) {
            case "sgd" -> new Sgd(model.namedParameters(), lr).momentum(momentum).nesterov(nesterov)
                    .weightDecay(weightDecay);
            case "adam" -> new Adam(model.namedParameters(), lr).weightDecay(weightDecay);
            default -> new AdamW(model.namedParameters(), lr).weightDecay(weightDecay);
        };
    }

    /** The learning rate per optimizer step for a run of {@code epochs} epochs of {@code stepsPerEpoch} steps. */
    public LrSchedule schedule(long stepsPerEpoch) {
        long total = Math.max(1, epochs * stepsPerEpoch);
        return switch (schedule) {
            case "constant" -> LrSchedule.constant(lr);
            case "step" -> LrSchedule.step(lr, stepEpochs * stepsPerEpoch, gamma);
            case "cosine" -> total < 2 ? LrSchedule.constant(lr)
                    : LrSchedule.cosine(lr, total, Math.min(total / 2, Math.round(warmupEpochs * stepsPerEpoch)), minLr);
            default -> total < 2 ? LrSchedule.constant(lr)
                    : warmupEpochs == 0 ? LrSchedule.oneCycle(lr, total)
                    : new OneCycle(lr, total, oneCycleRise(warmupEpochs * stepsPerEpoch, total), 25, 1e4);
        };
    }

    /** One-cycle's climb of {@code steps} steps as a fraction of {@code total}: at least two steps, at most half. */
    private static double oneCycleRise(double steps, long total) {
        return Math.min(0.5, Math.max(steps, 2) / total);
    }

    /** SGD's momentum per step when it follows the schedule (one-cycle), else null. */
    public LongToDoubleFunction momentumSchedule(long stepsPerEpoch) {
        if (!"one-cycle".equals(schedule) || !cycleMomentum || !"sgd".equals(optimizer) || momentum == 0) {
            return null;
        }
        LrSchedule s = schedule(stepsPerEpoch);
        return s instanceof OneCycle oc ? oc::momentum : null;
    }

    /** One line: optimizer, rate, schedule, epochs, batch. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(optimizer).append(" lr ").append(fmt(lr));
        if ("sgd".equals(optimizer) && momentum > 0) {
            sb.append(" momentum ").append(fmt(momentum)).append(nesterov ? " nesterov" : "");
        }
        if (weightDecay > 0) {
            sb.append(" wd ").append(fmt(weightDecay));
        }
        sb.append(", ").append(schedule);
        if (warmupEpochs > 0 && !"constant".equals(schedule) && !"step".equals(schedule)) {
            sb.append(" (warm-up ").append(fmt(warmupEpochs)).append(warmupEpochs == 1 ? " epoch)" : " epochs)");
        }
        sb.append(", ").append(epochs).append(epochs == 1 ? " epoch" : " epochs")
                .append(", batch ").append(batchSize);
        if (labelSmoothing > 0) {
            sb.append(", label smoothing ").append(fmt(labelSmoothing));
        }
        if (gradClip > 0) {
            sb.append(", clip ").append(fmt(gradClip));
        }
        if (gridUpdateEvery > 0) {
            sb.append(", grid update every ").append(gridUpdateEvery).append(" steps to step ").append(gridUpdateUntil);
        }
        return sb.toString();
    }

    /** Six significant digits without trailing zeros: 0.1, 0.0005, 1e+06. */
    private static String fmt(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        int e = s.indexOf('e');
        String mantissa = e < 0 ? s : s.substring(0, e);
        if (mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return e < 0 ? mantissa : mantissa + s.substring(e);
    }

    /**
     * A recipe under construction. Defaults: SGD lr 0.01, no momentum, constant schedule,
     * 10 epochs, batch 64, no augmentation, no normalisation, all images.
     */
    public static final class Builder {
        private String name;
        private String description = "";
        private String optimizer = "sgd";
        private double lr = 0.01;
        private double momentum;
        private boolean nesterov;
        private double weightDecay;
        private String schedule = "constant";
        private int stepEpochs = 30;
        private double gamma = 0.1;
        private double warmupEpochs;
        private double minLr;
        private boolean cycleMomentum = true;
        private int epochs = 10;
        private int batchSize = 64;
        private double labelSmoothing;
        private double gradClip;
        private int pad;
        private int cropPadding;
        private boolean flip;
        private boolean normalize;
        private int limitTrain = -1;
        private int limitTest = -1;
        private int gridUpdateEvery;
        private int gridUpdateUntil;

        private Builder(String name) {
            this.name = name;
        }

        /** Renames the recipe (to derive a new preset from an existing one). */
        public Builder name(String n) {
            name = n;
            return this;
        }

        public Builder description(String d) {
            description = d;
            return this;
        }

        /** {@code sgd}, {@code adam} or {@code adamw}. */
        public Builder optimizer(String o) {
            optimizer = o;
            return this;
        }

        public Builder lr(double v) {
            lr = v;
            return this;
        }

        public Builder momentum(double v) {
            momentum = v;
            return this;
        }

        public Builder nesterov(boolean v) {
            nesterov = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        /** {@code constant}, {@code step}, {@code cosine} or {@code one-cycle}. */
        public Builder schedule(String s) {
            schedule = s;
            return this;
        }

        /** The step schedule: multiply by {@code gamma} every {@code everyEpochs}. */
        public Builder stepSchedule(int everyEpochs, double g) {
            schedule = "step";
            stepEpochs = everyEpochs;
            gamma = g;
            return this;
        }

        /** The cosine schedule with a warm-up (in epochs, may be fractional) and a floor. */
        public Builder cosineSchedule(double warmup, double floor) {
            schedule = "cosine";
            warmupEpochs = warmup;
            minLr = floor;
            return this;
        }

        /** The rise of the learning rate at the start (cosine or one-cycle), in epochs; 0 = the schedule's own. */
        public Builder warmup(double epochs) {
            warmupEpochs = epochs;
            return this;
        }

        public Builder cycleMomentum(boolean v) {
            cycleMomentum = v;
            return this;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder labelSmoothing(double v) {
            labelSmoothing = v;
            return this;
        }

        public Builder gradClip(double v) {
            gradClip = v;
            return this;
        }

        public Builder pad(int v) {
            pad = v;
            return this;
        }

        /** Random crop of the padded size after {@code v} extra pixels of padding (CIFAR: 4). */
        public Builder randomCrop(int v) {
            cropPadding = v;
            return this;
        }

        public Builder flip(boolean v) {
            flip = v;
            return this;
        }

        public Builder normalize(boolean v) {
            normalize = v;
            return this;
        }

        public Builder limitTrain(int v) {
            limitTrain = v;
            return this;
        }

        public Builder limitTest(int v) {
            limitTest = v;
            return this;
        }

        /** KAN grid update after every {@code every} steps up to step {@code until}; every = 0 turns it off. */
        public Builder gridUpdate(int every, int until) {
            gridUpdateEvery = every;
            gridUpdateUntil = until;
            return this;
        }

        public Recipe build() {
            return new Recipe(name, description, optimizer, lr, momentum, nesterov, weightDecay, schedule, stepEpochs,
                    gamma, warmupEpochs, minLr, cycleMomentum, epochs, batchSize, labelSmoothing, gradClip, pad,
                    cropPadding, flip, normalize, limitTrain, limitTest, gridUpdateEvery, gridUpdateUntil);
        }
    }
}
