package dev.lanes.nn.train;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.DataLoader;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.Normalize;
import dev.lanes.nn.data.RandomCrop;
import dev.lanes.nn.data.SyntheticDigits;
import dev.lanes.nn.io.CorruptFileException;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.layers.BatchNorm2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Dropout;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.MaxPool2d;
import dev.lanes.nn.layers.ReLU;
import dev.lanes.nn.optim.LrSchedule;
import dev.lanes.nn.optim.OneCycle;
import dev.lanes.nn.optim.Optimizer;
import dev.lanes.nn.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The training loop on tiny synthetic runs: learning, checkpoints, bit-identical resume, NaN stop, listeners. */
class TrainerTest {
    private static final Dataset TRAIN = SyntheticDigits.generate(11, 0, 320);
    private static final Dataset TEST = SyntheticDigits.generate(12, 0, 96);
    private static final int EPOCHS = 3;

    @TempDir
    Path tmp;

    /** A small CNN with batch norm and dropout, so that resume must restore buffers and repeat masks. */
    static Sequential model(long seed) {
        Sequential m = new Sequential(new Conv2d(1, 6, 3), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.2f), new Linear(6 * 13 * 13, 10));
        m.initialize(seed);
        return m;
    }

    /** One run's parts: a fresh model, optimizer and loaders (random crop, so augmentation must repeat too). */
    private record Run(Module model, Optimizer opt, Trainer trainer) {
    }

    private Run newRun(Path checkpoints, TrainListener... listeners) {
        Module m = model(5);
        Sgd opt = new Sgd(m.namedParameters(), 0.05).momentum(0.9).weightDecay(5e-4);
        DataLoader train = DataLoader.builder(TRAIN).batchSize(32).seed(7)
                .transforms(new RandomCrop(28, 2), Normalize.MNIST).build();
        DataLoader test = DataLoader.builder(TEST).batchSize(50).shuffle(false).transforms(Normalize.MNIST).build();
        long steps = (long) EPOCHS * train.batchesPerEpoch();
        OneCycle schedule = LrSchedule.oneCycle(0.05, steps);
        Trainer.Builder b = Trainer.builder(m, opt, train).test(test).epochs(EPOCHS).seed(99).schedule(schedule)
                .momentumSchedule(schedule::momentum).labelSmoothing(0.05).gradClip(5)
                .checkpoints(checkpoints).run(Map.of("model", "tiny", "lr", 0.05))
                .weightsMetadata(Map.of("lanes.model", "tiny"));
        for (TrainListener l : listeners) {
            b.listener(l);
        }
        return new Run(m, opt, b.build());
    }

    private static byte[] weights(Module m) {
        return Safetensors.toBytes(m.stateDict(), Map.of());
    }

    @Test
    void aTinyRunLearnsAndReportsEveryEpoch() throws IOException {
        Run r = newRun(null);
        Trainer.Result res = r.trainer().fit();
        assertFalse(res.stopped());
        assertEquals(EPOCHS, res.metrics().size());
        EpochMetrics first = res.metrics().get(0), last = res.last();
        System.out.println("tiny run: " + res.metrics());
        assertEquals(1, first.epoch());
        assertEquals(EPOCHS * 10L, last.step()); // 320 / 32 = 10 steps per epoch
        assertTrue(last.trainLoss() < first.trainLoss(), first.trainLoss() + " -> " + last.trainLoss());
        assertTrue(last.testAcc() > 0.5, "test accuracy " + last.testAcc() + " (chance: 0.1)");
        assertTrue(last.seconds() > 0 && last.imagesPerSec() > 0 && last.evalImagesPerSec() > 0);
        assertTrue(last.lr() < 0.001, "one-cycle ends near zero: " + last.lr());
        assertTrue(r.model().isTraining(), "evaluation restores training mode");
    }

    @Test
    void stoppingMidEpochAndResumingGivesBitIdenticalWeightsAndMetrics() throws IOException {
        Run whole = newRun(tmp.resolve("whole"));
        List<EpochMetrics> expected = whole.trainer().fit().metrics();
        byte[] want = weights(whole.model());

        // stop after 13 steps (epoch 2, batch 3), from another "thread" as a shutdown hook would
        Path dir = tmp.resolve("cut");
        Trainer[] self = new Trainer[1];
        TrainListener stopper = new TrainListener() {
            @Override
            public void step(StepProgress p) {
                if (p.step() == 13) {
                    self[0].requestStop();
                }
            }
        };
        Run cut = newRun(dir, stopper);
        self[0] = cut.trainer();
        Trainer.Result stopped = cut.trainer().fit();
        assertTrue(stopped.stopped());
        assertEquals(1, stopped.metrics().size());
        Path ckpt = dir.resolve("checkpoint-epoch-002-batch-3.json");
        assertEquals(ckpt, stopped.lastCheckpoint());
        assertTrue(Files.exists(dir.resolve("checkpoint-epoch-001.json")), "the epoch-1 checkpoint is kept");

        Checkpoint c = Checkpoint.read(dir);
        assertEquals(ckpt, c.json());
        assertEquals(1, c.epoch());
        assertEquals(3, c.batch());
        assertEquals(13, c.step());
        assertEquals(Map.of("model", "tiny", "lr", 0.05), c.run());
        assertEquals(96, c.partial().images());

        Run resumed = newRun(dir);
        resumed.trainer().resumeFrom(c);
        Trainer.Result rest = resumed.trainer().fit();
        assertFalse(rest.stopped());
        assertArrayEquals(want, weights(resumed.model()), "resumed weights differ from the uninterrupted run's");
        assertEquals(EPOCHS, rest.metrics().size());
        for (int i = 0; i < EPOCHS; i++) {
            EpochMetrics a = expected.get(i), b = rest.metrics().get(i);
            assertEquals(a.trainLoss(), b.trainLoss(), 0, "train loss of epoch " + (i + 1));
            assertEquals(a.trainAcc(), b.trainAcc(), 0);
            assertEquals(a.testLoss(), b.testLoss(), 0);
            assertEquals(a.testAcc(), b.testAcc(), 0);
            assertEquals(a.step(), b.step());
            assertEquals(a.lr(), b.lr(), 0);
        }

        // and from an epoch boundary, with the checkpoint's weights file given instead of the JSON
        Run fromEpoch = newRun(tmp.resolve("again"));
        fromEpoch.trainer().resumeFrom(Checkpoint.read(tmp.resolve("whole").resolve("checkpoint-epoch-002.safetensors")));
        fromEpoch.trainer().fit();
        assertArrayEquals(want, weights(fromEpoch.model()));
    }

    @Test
    void everyEpochWritesACompleteCheckpointAndPruningKeepsTheNewest() throws IOException {
        Path dir = tmp.resolve("ck");
        Run r = newRun(dir);
        r.trainer().fit();
        List<Checkpoint> all = Checkpoint.list(dir);
        assertEquals(List.of(10L, 20L, 30L), all.stream().map(Checkpoint::step).toList());
        Checkpoint last = all.get(2);
        assertEquals(3, last.epoch());
        assertEquals(0, last.batch());
        assertEquals(3, last.metrics().size());
        assertEquals("tiny", Safetensors.read(last.weights()).metadata().get("lanes.model"));
        Module loaded = model(1);
        Safetensors.load(loaded, last.weights());
        assertArrayEquals(weights(r.model()), weights(loaded));
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary files left");
        }
        Checkpoint.prune(dir, 2);
        assertEquals(List.of(20L, 30L), Checkpoint.list(dir).stream().map(Checkpoint::step).toList());
        assertFalse(Files.exists(dir.resolve("checkpoint-epoch-001.safetensors")));
    }

    @Test
    void aNonFiniteLossStopsBeforeTheUpdateAndKeepsTheLastCheckpoint() throws IOException {
        Path dir = tmp.resolve("nan");
        Module[] model = new Module[1];
        TrainListener poison = new TrainListener() {
            @Override
            public void epochStarted(int epoch, int epochs, int batches, int firstBatch) {
                if (epoch == 2) {
                    Var w = model[0].namedParameters().get("6.weight");
                    w.value().data()[w.value().offset()] = Float.NaN;
                }
            }
        };
        Run r = newRun(dir, poison);
        model[0] = r.model();
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> r.trainer().fit());
        assertEquals(11, e.step());
        assertEquals(2, e.epoch());
        assertEquals(0, e.batch());
        assertTrue(e.getMessage().contains("step 11") && e.getMessage().contains("NaN"), e.getMessage());
        assertEquals(dir.resolve("checkpoint-epoch-001.json"), e.lastCheckpoint());
        assertTrue(e.getMessage().contains("checkpoint-epoch-001.json"), e.getMessage());
        assertEquals(10, r.opt().steps(), "no update after the bad loss");
        assertEquals(List.of(10L), Checkpoint.list(dir).stream().map(Checkpoint::step).toList());
    }

    @Test
    void resumingADifferentRunIsRefused() throws IOException {
        Path dir = tmp.resolve("d");
        newRun(dir).trainer().fit();
        Module m = model(5);
        Sgd opt = new Sgd(m.namedParameters(), 0.05).momentum(0.9);
        DataLoader other = DataLoader.builder(TRAIN).batchSize(64).build();
        Trainer t = Trainer.builder(m, opt, other).epochs(EPOCHS).seed(99).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> t.resumeFrom(Checkpoint.read(dir)));
        assertTrue(e.getMessage().contains("batches per epoch"), e.getMessage());
    }

    @Test
    void damagedCheckpointFilesAreReportedWithFileAndOffset() throws IOException {
        Path dir = tmp.resolve("bad");
        newRun(dir).trainer().fit();
        Path json = dir.resolve("checkpoint-epoch-003.json");
        String text = Files.readString(json);
        Files.writeString(json, text.substring(0, text.length() / 2));
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> Checkpoint.read(json));
        assertEquals(json, e.file());
        assertTrue(e.offset() > 0, "offset " + e.offset());
        assertEquals(2, Checkpoint.list(dir).size(), "a damaged checkpoint is skipped when picking the newest");
        assertEquals(20, Checkpoint.read(dir).step());

        Files.writeString(json, text.replace("\"checkpoint-epoch-003.safetensors\"", "\"../../etc/passwd\""));
        e = assertThrows(CorruptFileException.class, () -> Checkpoint.read(json));
        assertTrue(e.getMessage().contains("weights"), e.getMessage());
        Files.writeString(json, text.replace("\"step\" : 30", "\"step\" : -4"));
        e = assertThrows(CorruptFileException.class, () -> Checkpoint.read(json));
        assertTrue(e.getMessage().contains("step"), e.getMessage());
        Files.writeString(json, "[]");
        assertThrows(CorruptFileException.class, () -> Checkpoint.read(json));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> Checkpoint.read(dir.resolve("nothing.json")));
    }

    @Test
    void aModelWithItsOwnLossIsTrainedAndScoredWithIt() throws IOException {
        // cross-entropy on doubled logits: an objective of its own
        final class Doubled extends Module implements CustomLoss {
            final Sequential inner = addModule("inner", model(5));
            int calls;

            @Override
            public Var forward(Var x) {
                return inner.forward(x);
            }

            @Override
            public LossAndScores lossAndScores(Var images, int[] labels) {
                calls++;
                Var scores = F.scale(forward(images), 2f);
                return new LossAndScores(F.crossEntropy(scores, labels), scores);
            }
        }
        Doubled m = new Doubled();
        DataLoader train = DataLoader.builder(TRAIN.limit(64)).batchSize(32).build();
        DataLoader test = DataLoader.builder(TEST.limit(40)).batchSize(20).shuffle(false).build();
        Trainer t = Trainer.builder(m, new Sgd(m.namedParameters(), 0.01), train).test(test).build();
        EpochMetrics e = t.fit().last();
        assertEquals(2 + 2, m.calls, "two training and two test batches");
        assertTrue(Double.isFinite(e.testLoss()));
    }

    @Test
    void aStepAllocatesOnlySmallObjectsInTheSteadyState() throws IOException {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] last = {-1};
        List<Long> perStep = new ArrayList<>();
        TrainListener meter = new TrainListener() {
            @Override
            public void step(StepProgress p) {
                long now = mx.getCurrentThreadAllocatedBytes();
                if (p.epoch() == EPOCHS && last[0] >= 0 && p.batch() > 1) {
                    perStep.add(now - last[0]);
                }
                last[0] = now;
            }

            @Override
            public void epochStarted(int epoch, int epochs, int batches, int firstBatch) {
                last[0] = -1;
            }
        };
        newRun(null, meter).trainer().fit();
        long median = perStep.stream().sorted().toList().get(perStep.size() / 2);
        System.out.println("bytes allocated per step (epoch " + EPOCHS + "): " + perStep);
        // one activation of this model is 32 x 6 x 26 x 26 floats = 519 KB; a step without reuse allocates megabytes
        assertTrue(median < 64 * 1024, "a step allocated " + median + " bytes: " + perStep);
    }

    @Test
    void plainProgressPrintsAboutTenLinesPerEpochAndASummary() throws IOException {
        StringWriter sw = new StringWriter();
        Run r = newRun(null, new ConsoleProgress(new PrintWriter(sw), false));
        r.trainer().fit();
        String[] lines = sw.toString().split("\n");
        long progress = Arrays.stream(lines).filter(l -> l.startsWith("epoch 1/3 ")).count();
        long summaries = Arrays.stream(lines).filter(l -> l.matches("epoch \\d: train loss .* test loss .*")).count();
        assertEquals(9, progress, sw.toString()); // 10%, 20%, ... 90% (the summary stands for 100%)
        assertEquals(EPOCHS, summaries, sw.toString());
        assertFalse(sw.toString().contains("\r"));

        StringWriter tw = new StringWriter();
        newRun(null, new ConsoleProgress(new PrintWriter(tw), true)).trainer().fit();
        assertTrue(tw.toString().contains("\repoch 1/3 ["), tw.toString());
        assertTrue(tw.toString().contains("img/s"));
    }
}
