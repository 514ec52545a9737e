package dev.lanes.zoo.cli;

import dev.lanes.nn.ChildJvm;
import dev.lanes.nn.train.Checkpoint;
import dev.lanes.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code lanes train} end to end on {@link TinyBnCnn} (batch norm, dropout, 320 steps): the same
 * seed gives the same bytes on any thread count, a run killed with SIGKILL at a random moment
 * resumes to the same bytes, and non-finite steps stop the run or are skipped.
 */
class TrainReliabilityTest {
    private static final java.util.regex.Pattern PROGRESS = java.util.regex.Pattern.compile("(?m)^epoch \\d+/\\d+ +\\d+% ");
    private final int threadsBefore = Parallel.threads();

    @TempDir
    static Path tmp;
    /** The weights of the reference run (2 threads), made once for the tests that compare with it. */
    private static byte[] reference;

    @BeforeAll
    static void register() {
        TinyBnCnn.register();
    }

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(threadsBefore);
    }

    /** The arguments of one run of the tiny model into {@code out}. */
    private static List<String> args(Path out, int threads, String... more) {
        List<String> a = new ArrayList<>(List.of("train", TinyBnCnn.MODEL, "--dataset", "synthetic-digits",
                "--data-dir", tmp.resolve("no-data").toString(), "--seed", "7", "--threads", Integer.toString(threads),
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    private static synchronized byte[] reference() throws IOException {
        if (reference == null) {
            reference = train("t2", 2);
        }
        return reference;
    }

    private static byte[] train(String name, int threads) throws IOException {
        Path out = tmp.resolve(name);
        CliRun r = CliRun.of(args(out, threads).toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        return Files.readAllBytes(out.resolve("model.safetensors"));
    }

    @Test
    void theSameSeedGivesByteIdenticalWeightsRunToRunAndOnOneTwoAndEightThreads() throws IOException {
        byte[] two = reference();
        assertArrayEquals(two, train("t2-again", 2), "run to run");
        assertArrayEquals(two, train("t1", 1), "1 thread vs 2");
        assertArrayEquals(two, train("t8", 8), "8 threads vs 2");
        byte[] lastCheckpoint = Files.readAllBytes(tmp.resolve("t2").resolve("checkpoint-epoch-004.safetensors"));
        assertArrayEquals(two, lastCheckpoint, "the final weights are the last checkpoint's");
        Path early = tmp.resolve("t2").resolve("checkpoint-epoch-002.safetensors");
        assertFalse(java.util.Arrays.equals(two, Files.readAllBytes(early)), "training changed the weights");
    }

    @Test
    void resumingAfterSigkillAtARandomMomentEndsWithTheSameWeights() throws Exception {
        byte[] expected = reference();
        SplittableRandom random = new SplittableRandom();
        for (int attempt = 1; ; attempt++) {
            Path out = tmp.resolve("killed-" + attempt);
            ChildJvm.Running child = ChildJvm.start(TinyBnCnn.class, List.of(), tmp.resolve("child-" + attempt + ".log"),
                    args(out, 2).toArray(String[]::new));
            // The child prints a progress line every tenth of an epoch, 40 in all: kill it right
            // after a random one of those from the second epoch on (the first ends with the first checkpoint).
            int tick = 11 + random.nextInt(28);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (child.process().isAlive() && System.nanoTime() < deadline
                    && (PROGRESS.matcher(child.output()).results().count() < tick
                        || !Files.exists(out.resolve("checkpoint-epoch-001.json")))) {
                Thread.sleep(1);
            }
            boolean killedMidRun = child.process().isAlive();
            child.process().destroyForcibly(); // SIGKILL
            child.process().waitFor();
            if (!killedMidRun) {
                assertTrue(attempt < 3, "the child finished before the kill:\n" + child.output());
                continue;
            }
            Checkpoint last = Checkpoint.read(out);
            System.out.println("killed at attempt " + attempt + "; resuming from " + last.json().getFileName()
                    + " (step " + last.step() + " of 320), killed after progress line " + tick + " of 40");
            CliRun resumed = CliRun.of("train", TinyBnCnn.MODEL, "--resume", out.toString(), "--data-dir",
                    tmp.resolve("no-data").toString(), "--threads", "2");
            assertEquals(0, resumed.code(), resumed.toString());
            assertTrue(resumed.out().contains("resuming from"), resumed.out());
            assertArrayEquals(expected, Files.readAllBytes(out.resolve("model.safetensors")),
                    "a resumed run ends with the weights of an uninterrupted one");
            return;
        }
    }

    @Test
    void aDivergingRunStopsWithTheStepOrSkipsItsBadStepsOnRequest() {
        CliRun stopped = CliRun.of(args(tmp.resolve("nan"), 2, "--lr", "1e30", "--epochs", "1").toArray(String[]::new));
        assertEquals(1, stopped.code(), stopped.toString());
        assertEquals(1, stopped.errLines().length, stopped.toString());
        assertTrue(stopped.err().contains("at step ") && stopped.err().contains("--skip-nonfinite"), stopped.err());

        CliRun skipped = CliRun.of(args(tmp.resolve("skip"), 2, "--lr", "1e30", "--epochs", "1", "--skip-nonfinite")
                .toArray(String[]::new));
        assertEquals(0, skipped.code(), skipped.toString());
        assertTrue(skipped.out().contains("with a non-finite loss or gradient"), skipped.out());
        assertTrue(skipped.err().contains("lanes: skipped: "), skipped.err());
    }
}
