package dev.lanes.nn;

import dev.lanes.nn.io.StateDict;
import dev.lanes.nn.layers.AvgPool2d;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Dropout;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.GELU;
import dev.lanes.nn.layers.GlobalAvgPool2d;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.LocalResponseNorm;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.nn.layers.Sigmoid;
import dev.lanes.nn.layers.Tanh;
import dev.lanes.nn.optim.Adam;
import dev.lanes.nn.optim.Optimizer;
import dev.lanes.nn.optim.Sgd;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** Small models learn small synthetic tasks, reproducibly, on any thread count and side by side. */
class TrainingTest {
    /** A batch of inputs and labels. */
    record Batch(Tensor x, int[] y) {
    }

    /** Three Gaussian blobs in the plane, one per class. */
    static Batch blobs(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, 2);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            double angle = 2 * Math.PI * y[i] / 3;
            x.set((float) (2 * Math.cos(angle) + 0.5 * Tensor.gaussian(r)), i, 0);
            x.set((float) (2 * Math.sin(angle) + 0.5 * Tensor.gaussian(r)), i, 1);
        }
        return new Batch(x, y);
    }

    /** 12x12 images of a bright horizontal bar, vertical bar, or square at a random place, with noise. */
    static Batch bars(long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(n, 1, 12, 12);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(3);
            int a = 2 + r.nextInt(8), b = 2 + r.nextInt(8);
            for (int p = 0; p < 144; p++) {
                int row = p / 12, col = p % 12;
                boolean on = switch (y[i]) {
                    case 0 -> row == a && Math.abs(col - b) <= 2;
                    case 1 -> col == b && Math.abs(row - a) <= 2;
                    default -> Math.abs(row - a) <= 1 && Math.abs(col - b) <= 1 && (row != a || col != b);
                };
                x.data()[i * 144 + p] = (on ? 1f : 0f) + (float) (0.2 * Tensor.gaussian(r));
            }
        }
        return new Batch(x, y);
    }

    static Sequential mlp(long seed) {
        Sequential m = new Sequential(new Linear(2, 32), new ReLU(), new Linear(32, 32), new ReLU(), new Linear(32, 3));
        m.initialize(seed);
        return m;
    }

    static Sequential cnn(long seed) {
        Sequential m = new Sequential(new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, 3, 1, 1), new ReLU(), new GlobalAvgPool2d(), new Flatten(), new Dropout(0.1f),
                new Linear(16, 3));
        m.initialize(seed);
        return m;
    }

    /** One training step on a fresh tape seeded by the step; returns the loss. */
    static float step(Module model, Optimizer opt, Batch b, long step) {
        opt.zeroGrad();
        float loss;
        try (Tape tape = Tape.recording(1000 + step)) {
            Var l = F.crossEntropy(model.forward(tape.input(b.x())), b.y());
            tape.backward(l);
            loss = l.item();
        }
        opt.step();
        return loss;
    }

    static float[] train(Module model, Optimizer opt, int steps, java.util.function.LongFunction<Batch> data) {
        float first = 0, last = 0;
        for (int s = 0; s < steps; s++) {
            float l = step(model, opt, data.apply(s), s);
            if (s == 0) {
                first = l;
            }
            last = l;
        }
        return new float[] {first, last};
    }

    @Test
    void aTinyMlpLearnsBlobs() {
        Sequential m = mlp(1);
        Adam opt = new Adam(m.namedParameters(), 0.01);
        float[] loss = train(m, opt, 150, s -> blobs(s, 64));
        System.out.println("MLP on blobs: loss " + loss[0] + " -> " + loss[1] + " in 150 steps");
        // from about ln 3 = 1.1 to under a tenth of that within 150 steps
        assertTrue(loss[0] > 0.8f, "initial loss " + loss[0]);
        assertTrue(loss[1] < loss[0] / 10, "loss went from " + loss[0] + " to " + loss[1]);
        m.eval();
        Batch test = blobs(999, 300);
        int correct = 0;
        try (Tape tape = Tape.inference()) {
            Tensor logits = m.forward(tape.input(test.x())).value();
            for (int i = 0; i < 300; i++) {
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    if (logits.get(i, c) > logits.get(i, best)) {
                        best = c;
                    }
                }
                correct += best == test.y()[i] ? 1 : 0;
            }
        }
        System.out.println("MLP on blobs: " + correct + " of 300 test points right");
        assertTrue(correct >= 0.9 * 300, correct + " of 300 test points right");
    }

    @Test
    void aTinyCnnLearnsBars() {
        Sequential m = cnn(2);
        Sgd opt = new Sgd(m.namedParameters(), 0.1).momentum(0.9).weightDecay(1e-4);
        float[] loss = train(m, opt, 120, s -> bars(s, 32));
        System.out.println("CNN on bars: loss " + loss[0] + " -> " + loss[1] + " in 120 steps");
        // from about ln 3 to under a fifth of it within 120 steps
        assertTrue(loss[0] > 0.9f, "initial loss " + loss[0]);
        assertTrue(loss[1] < loss[0] / 5, "loss went from " + loss[0] + " to " + loss[1]);
    }

    /** A CNN that uses most kinds of op: batch norm, tanh, LRN, average and global pooling, GELU, dropout. */
    static Sequential mixed(long seed) {
        Sequential m = new Sequential(new Conv2d(1, 8, 3, 1, 1), new BatchNorm2d(8), new Tanh(), new LocalResponseNorm(3),
                new AvgPool2d(2), new Conv2d(8, 16, 3, 1, 1), new GELU(), new MaxPool2d(2), new Sigmoid(),
                new GlobalAvgPool2d(), new Flatten(), new Dropout(0.2f), new Linear(16, 3));
        m.initialize(seed);
        return m;
    }

    /** Four seeded steps with every part in play: batch norm, dropout, Nesterov, weight decay. */
    private static StateDict trainCnn() {
        Sequential m = mixed(3);
        Sgd opt = new Sgd(m.namedParameters(), 0.05).momentum(0.9).nesterov(true).weightDecay(5e-4);
        train(m, opt, 4, s -> bars(100 + s, 48));
        return m.stateDict().copy();
    }

    private static StateDict trainCnnOn(int threads) {
        int before = Parallel.threads();
        try {
            Parallel.setThreads(threads);
            return trainCnn();
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void theSameSeedGivesBitIdenticalWeightsOnOneTwoAndThreeThreads() {
        StateDict one = trainCnnOn(1), two = trainCnnOn(2), three = trainCnnOn(3);
        assertTrue(one.contentEquals(two), "1 vs 2 threads");
        assertTrue(one.contentEquals(three), "1 vs 3 threads");
        assertFalse(one.contentEquals(mixed(3).stateDict()), "training changed the weights");
    }

    @Test
    void twoModelsTrainingOnTwoThreadsAtOnceMatchOneTrainedAlone() throws Exception {
        StateDict alone = trainCnnOn(Parallel.threads());
        StateDict[] results = new StateDict[2];
        Concurrently.run(2, id -> results[id] = trainCnn());
        assertTrue(alone.contentEquals(results[0]));
        assertTrue(alone.contentEquals(results[1]));
        // Two different models with different optimizers, side by side, each as it is alone.
        StateDict otherAlone = trainOther();
        StateDict[] mixedResults = new StateDict[2];
        Concurrently.run(2, id -> mixedResults[id] = id == 0 ? trainCnn() : trainOther());
        assertTrue(alone.contentEquals(mixedResults[0]), "the batch-norm CNN trained beside another model");
        assertTrue(otherAlone.contentEquals(mixedResults[1]), "the Adam CNN trained beside another model");
    }

    /** Another model and optimizer than {@link #trainCnn}: the ReLU CNN with Adam. */
    private static StateDict trainOther() {
        Sequential m = cnn(11);
        Adam opt = new Adam(m.namedParameters(), 0.01);
        train(m, opt, 4, s -> bars(200 + s, 40));
        return m.stateDict().copy();
    }

    @Test
    void oneModelServesInferenceFromEightThreadsAtOnce() throws Exception {
        Sequential m = cnn(4);
        m.eval();
        Batch b = bars(5, 16);
        Tensor expected;
        try (Tape tape = Tape.inference()) {
            expected = m.forward(tape.input(b.x())).value().copy();
        }
        Concurrently.run(8, id -> {
            for (int rep = 0; rep < 10; rep++) {
                try (Tape tape = Tape.inference()) {
                    assertTrue(m.forward(tape.input(b.x())).value().contentEquals(expected), "same output under concurrency");
                }
            }
        });
        // Many iterations with a different batch per thread and per round, each compared with the
        // single-threaded answer for that batch: a shared buffer or state would mix them up.
        int rounds = 40;
        Batch[] batches = new Batch[8 * rounds];
        Tensor[] alone = new Tensor[batches.length];
        for (int i = 0; i < batches.length; i++) {
            batches[i] = bars(1000 + i, 3 + i % 5);
            try (Tape tape = Tape.inference()) {
                alone[i] = m.forward(tape.input(batches[i].x())).value().copy();
            }
        }
        Concurrently.run(8, id -> {
            for (int round = 0; round < rounds; round++) {
                int i = (id * rounds + round * 7) % batches.length;
                try (Tape tape = Tape.inference()) {
                    assertTrue(m.forward(tape.input(batches[i].x())).value().contentEquals(alone[i]),
                            "thread " + id + " round " + round + ": same output as single-threaded");
                }
            }
        });
    }
}
