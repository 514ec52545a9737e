package dev.lanes.nn.train;

import dev.lanes.nn.ChildJvm;
import dev.lanes.nn.F;
import dev.lanes.nn.Tape;
import dev.lanes.tensor.Tensor;
import dev.lanes.nn.Module;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Var;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.io.StateDict;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.optim.Optimizer;
import dev.lanes.nn.optim.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Nothing lost: a checkpoint write that fails or is killed part-way leaves the previous
 * checkpoint complete and loadable, and a full disk gives a clear error.
 */
class CheckpointFaultTest {
    private static final int EPOCHS = 1_000_000;

    @TempDir
    Path tmp;

    private static Checkpoint save(Path dir, Module m, Optimizer opt, int epoch, Map<String, Object> run)
            throws IOException {
        return Checkpoint.save(dir, m, Map.of(), opt, epoch, 0, 1, EPOCHS, 10, 320, Checkpoint.Partial.NONE, List.of(),
                run);
    }

    private static byte[] weights(Module m) {
        return Safetensors.toBytes(m.stateDict(), Map.of());
    }

    /** The newest complete checkpoint of {@code dir} must be {@code expected} and load into a fresh model. */
    private static void assertNewestIs(Path dir, Checkpoint expected, byte[] expectedWeights) throws IOException {
        Checkpoint newest = Checkpoint.read(dir);
        assertEquals(expected.json(), newest.json(), "the previous checkpoint is still the newest complete one");
        Module fresh = TrainerTest.model(77);
        newest.restore(fresh, new Sgd(fresh.namedParameters(), 0.05).momentum(0.9));
        assertArrayEquals(expectedWeights, weights(fresh), "the previous checkpoint loads with its weights");
        try (Stream<Path> files = Files.list(dir)) {
            List<String> temps = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), temps, "no temporary file is left behind");
        }
    }

    /** A model trained a few steps, so that weights and optimizer buffers are not at their initial values. */
    private static Sgd trained(Module m) {
        Sgd opt = new Sgd(m.namedParameters(), 0.05).momentum(0.9);
        SplittableRandom r = new SplittableRandom(3);
        Tensor x = Tensor.zeros(4, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = (float) r.nextDouble();
        }
        for (int step = 0; step < 2; step++) {
            opt.zeroGrad();
            try (Tape tape = Tape.recording(step)) {
                tape.backward(F.crossEntropy(m.forward(tape.input(x)), new int[] {1, 2, 3, 4}));
            }
            opt.step();
        }
        return opt;
    }

    @Test
    void aSaveThatFailsBetweenItsFilesKeepsThePreviousCheckpointLoadable() throws IOException {
        Path dir = tmp.resolve("ckpt");
        Module m = TrainerTest.model(5);
        Sgd opt = trained(m);
        Checkpoint first = save(dir, m, opt, 1, Map.of("model", "tiny"));
        byte[] firstWeights = weights(m);
        opt.step();

        // The optimizer state cannot be produced: after the new weights file, before the rest.
        Sgd failing = new Sgd(m.namedParameters(), 0.05) {
            @Override
            public StateDict stateDict() {
                throw new UncheckedIOException(new IOException("simulated: the optimizer state stream failed"));
            }
        };
        assertThrows(UncheckedIOException.class, () -> save(dir, m, failing, 2, Map.of("model", "tiny")));
        assertNewestIs(dir, first, firstWeights);

        // The JSON file fails while being written (its last field cannot be serialised): both
        // safetensors files of the new checkpoint exist, but without the JSON they are no checkpoint.
        Map<String, Object> badRun = Map.of("model", new Object() {
            @SuppressWarnings("unused")
            public String getName() throws IOException {
                throw new IOException("simulated: the JSON stream failed");
            }
        });
        IOException e = assertThrows(IOException.class, () -> save(dir, m, opt, 3, badRun));
        assertTrue(e.getMessage().contains("cannot write checkpoint") && e.getMessage().contains("are kept"),
                e.getMessage());
        assertNewestIs(dir, first, firstWeights);
    }

    @Test
    void aFullDiskGivesAClearErrorAndKeepsThePreviousCheckpoint() throws Exception {
        // Measure one checkpoint, then give a file system room for about one and a half.
        Path probe = tmp.resolve("probe");
        Module m = TrainerTest.model(5);
        Sgd opt = trained(m);
        save(probe, m, opt, 1, Map.of("model", "tiny"));
        long pages = 0;
        try (Stream<Path> files = Files.list(probe)) {
            for (Path f : files.toList()) {
                pages += (Files.size(f) + 4095) / 4096;
            }
        }
        Path mount = Files.createDirectories(tmp.resolve("small-disk"));
        long size = (pages + pages / 2) * 4096;
        boolean mounted = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()) == 0;
        assumeTrue(mounted, "cannot mount a tmpfs here (needs root); the simulated failures above stand in");
        try {
            Path dir = mount.resolve("ckpt");
            Checkpoint first = save(dir, m, opt, 1, Map.of("model", "tiny"));
            byte[] firstWeights = weights(m);
            opt.step();
            IOException e = assertThrows(IOException.class, () -> save(dir, m, opt, 2, Map.of("model", "tiny")));
            System.out.println("full disk: " + e.getMessage());
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertTrue(e.getMessage().contains("checkpoint-epoch-002.json") && e.getMessage().contains("are kept"),
                    e.getMessage());
            assertNewestIs(dir, first, firstWeights);
        } finally {
            assertEquals(0, run("umount", mount.toString()), "unmount " + mount);
        }
    }

    private static int run(String... cmd) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor();
    }

    // ---- killed mid-write ----------------------------------------------------------------

    /** A model big enough (about 5 MB of weights and as much optimizer state) that a save takes a while. */
    private static Sequential big() {
        return new Sequential(new Linear(1024, 1024), new Linear(1024, 256));
    }

    /** The child: writes checkpoints 1, 2, 3, ... of {@link #big}, every value of checkpoint k equal to k, until killed. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Sequential m = big();
        Sgd opt = new Sgd(m.namedParameters(), 0.1).momentum(0.9);
        for (int epoch = 1; epoch < EPOCHS; epoch++) {
            for (Var p : m.namedParameters().values()) {
                p.value().fill(epoch);
            }
            save(dir, m, opt, epoch, Map.of("model", "big"));
            Checkpoint.prune(dir, 2);
            System.out.println("saved " + epoch);
            System.out.flush();
        }
    }

    @Test
    void killingTheWriterMidCheckpointLeavesTheNewestCompleteOneLoadable() throws Exception {
        SplittableRandom random = new SplittableRandom();
        int leftTemporaries = 0;
        for (int round = 0; round < 3; round++) {
            Path dir = tmp.resolve("killed-" + round);
            ChildJvm.Running child = ChildJvm.start(CheckpointFaultTest.class, List.of(), tmp.resolve("child-" + round),
                    dir.toString());
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!child.output().contains("saved 2") && child.process().isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(child.process().isAlive(), "the writer is still writing: " + child.output());
            Thread.sleep(random.nextInt(200));
            child.process().destroyForcibly(); // SIGKILL: no shutdown hook, no finally block runs
            child.process().waitFor();
            try (Stream<Path> files = Files.list(dir)) {
                leftTemporaries += files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")) ? 1 : 0;
            }
            List<Checkpoint> all = Checkpoint.list(dir);
            assertFalse(all.isEmpty(), "a complete checkpoint survives the kill");
            for (Checkpoint c : all) {
                Sequential fresh = big();
                c.restore(fresh, new Sgd(fresh.namedParameters(), 0.1).momentum(0.9));
                for (Map.Entry<String, Var> p : fresh.namedParameters().entrySet()) {
                    float[] d = p.getValue().value().data();
                    for (int i = 0; i < p.getValue().value().size(); i++) {
                        assertEquals(c.epoch(), d[p.getValue().value().offset() + i], 0f, c.json() + " " + p.getKey());
                    }
                }
            }
        }
        System.out.println("killed the writer 3 times; " + leftTemporaries + " of the kills landed inside a file write");
    }
}
