package dev.lanes.zoo.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.train.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code lanes train} end to end on tiny synthetic runs. */
class TrainCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A tiny LeNet-5 run: epochs of 10 steps. */
    private static final String[] TINY = {"train", "lenet5", "--limit-train", "320", "--limit-test", "64",
        "--batch-size", "32", "--seed", "3"};

    @TempDir
    Path tmp;

    private static String[] args(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void aTinyRunWritesWeightsCheckpointsMetricsAndCurves() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("no-data"));
        Path out = tmp.resolve("run");
        Path metrics = tmp.resolve("logs/metrics.json");
        CliRun r = CliRun.of(args(TINY, "--epochs", "2", "--data-dir", empty.toString(), "--out", out.toString(), "--metrics-out",
                metrics.toString(), "--threads", "2"));
        assertEquals(0, r.code(), r.toString());
        String[] lines = r.out().split("\n");
        // the fallback is said in one line, then what the run does in one line
        assertTrue(lines[0].startsWith("mnist is not in " + empty) && lines[0].contains("synthetic-digits")
                && lines[0].contains("lanes fetch mnist"), lines[0]);
        assertTrue(lines[1].startsWith("training lenet5 (61,706 parameters, input 1x32x32) on synthetic-digits: 320 "
                + "training and 64 test images, 2 epochs; recipe lenet-quick"), lines[1]);
        assertTrue(r.out().contains("epoch 2: train loss"), r.out());
        assertTrue(r.out().contains("done: test accuracy"), r.out());

        List<String> jsonLines = Files.readAllLines(metrics);
        assertEquals(2, jsonLines.size());
        for (int i = 0; i < 2; i++) {
            JsonNode m = JSON.readTree(jsonLines.get(i));
            assertEquals(i + 1, m.get("epoch").asInt());
            for (String field : List.of("train_loss", "train_acc", "test_loss", "test_acc", "seconds", "images_per_sec",
                    "lr")) {
                assertTrue(m.get(field).isNumber(), field + " in " + m);
            }
            assertTrue(m.get("test_acc").asDouble() >= 0 && m.get("test_acc").asDouble() <= 1);
        }
        assertEquals(jsonLines, Files.readAllLines(out.resolve("metrics.jsonl")));

        for (String f : List.of("model.safetensors", "checkpoint-epoch-001.json", "checkpoint-epoch-001.safetensors",
                "checkpoint-epoch-001.optim.safetensors", "checkpoint-epoch-002.json", "metrics.jsonl", "curves.png")) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.toString().endsWith(".tmp")));
        }
        byte[] png = Files.readAllBytes(out.resolve("curves.png"));
        assertEquals((byte) 0x89, png[0]);
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
        BufferedImage chart = ImageIO.read(out.resolve("curves.png").toFile());
        assertTrue(chart.getWidth() >= 400 && chart.getHeight() >= 300);

        Safetensors.Contents weights = Safetensors.read(out.resolve("model.safetensors"));
        assertEquals("lenet5", weights.metadata().get("lanes.model"));
        assertEquals("synthetic-digits", weights.metadata().get("lanes.dataset"));
        assertEquals("pt", weights.metadata().get("format"));
        assertTrue(weights.tensors().contains("conv1.weight"));
        // the final weights are those of the last checkpoint
        assertTrue(weights.tensors().contentEquals(Safetensors.load(out.resolve("checkpoint-epoch-002.safetensors"))));
    }

    @Test
    void resumingFromAnEpochCheckpointGivesTheSameWeightsBytes() throws IOException {
        Path whole = tmp.resolve("whole");
        CliRun a = CliRun.of(args(TINY, "--epochs", "2", "--dataset", "synthetic-digits", "--out", whole.toString()));
        assertEquals(0, a.code(), a.toString());

        Path cut = Files.createDirectories(tmp.resolve("cut"));
        for (String ext : List.of(".json", ".safetensors", ".optim.safetensors")) {
            Files.copy(whole.resolve("checkpoint-epoch-001" + ext), cut.resolve("checkpoint-epoch-001" + ext));
        }
        CliRun b = CliRun.of("train", "lenet5", "--resume", cut.resolve("checkpoint-epoch-001.json").toString(),
                "--seed", "3", "--epochs", "2");
        assertEquals(0, b.code(), b.toString());
        assertTrue(b.out().contains("resuming from"), b.out());
        assertFalse(b.out().contains("epoch 1: train loss"), "epoch 1 is not trained again");
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
                Files.readAllBytes(cut.resolve("model.safetensors")));
        assertEquals(Files.readAllLines(whole.resolve("metrics.jsonl")).size(),
                Files.readAllLines(cut.resolve("metrics.jsonl")).size(), "the resumed run's metrics hold both epochs");
    }

    @Test
    void resumeRefusesOptionsThatChangeTheRun() throws IOException {
        Path dir = tmp.resolve("r");
        assertEquals(0, CliRun.of(args(TINY, "--dataset", "synthetic-digits", "--epochs", "1", "--out", dir.toString()))
                .code());
        CliRun r = CliRun.of("train", "lenet5", "--resume", dir.toString(), "--lr", "0.5");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("lr 0.5 (the run's: 0.1)"), r.err());
        r = CliRun.of("train", "lenet5-relu", "--resume", dir.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("checkpoint of lenet5, not of lenet5-relu"), r.err());
        r = CliRun.of("train", "lenet5", "--resume", tmp.resolve("nowhere.json").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("nowhere.json"), r.err());
    }

    @Test
    void ctrlCInAChildJvmSavesACheckpointAndTheResumedRunMatchesAnUninterruptedOne() throws Exception {
        String[] run = {"train", "lenet5", "--dataset", "synthetic-digits", "--limit-train", "640", "--limit-test",
            "32", "--batch-size", "16", "--epochs", "2", "--seed", "5"};
        Path whole = tmp.resolve("whole");
        CliRun a = CliRun.of(args(run, "--out", whole.toString()));
        assertEquals(0, a.code(), a.toString());

        Path cut = tmp.resolve("cut");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-Djava.awt.headless=true", "-Xmx512m", "-cp",
                System.getProperty("java.class.path"), LanesCli.class.getName()));
        cmd.addAll(List.of(args(run, "--out", cut.toString())));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean signalled = false;
            while ((line = in.readLine()) != null) {
                seen.append(line).append('\n');
                if (!signalled && line.startsWith("epoch 1/2  ")) { // the first progress line: training is under way
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    signalled = true;
                }
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), seen.toString());
        assertEquals(130, p.exitValue(), seen.toString());
        assertTrue(seen.toString().contains("stopping at the next step boundary"), seen.toString());
        assertTrue(seen.toString().contains("resume with: lanes train lenet5 --resume "), seen.toString());
        Checkpoint c = Checkpoint.read(cut);
        assertEquals(0, c.epoch(), "stopped in epoch 1: " + seen);
        assertTrue(c.batch() > 0 && c.batch() < 40, "batch " + c.batch());
        assertFalse(Files.exists(cut.resolve("model.safetensors")), "no final weights for an interrupted run");

        CliRun b = CliRun.of("train", "lenet5", "--resume", c.json().toString());
        assertEquals(0, b.code(), b.toString());
        assertTrue(b.out().contains("resuming after batch " + c.batch()), b.out());
        assertArrayEquals(Files.readAllBytes(whole.resolve("model.safetensors")),
                Files.readAllBytes(cut.resolve("model.safetensors")), "resumed weights differ");
        assertEquals(Files.readAllLines(whole.resolve("metrics.jsonl")).stream().map(TrainCommandTest::withoutTimes).toList(),
                Files.readAllLines(cut.resolve("metrics.jsonl")).stream().map(TrainCommandTest::withoutTimes).toList());
    }

    /** A metrics line without its timing fields (which differ between runs). */
    private static String withoutTimes(String line) {
        try {
            com.fasterxml.jackson.databind.node.ObjectNode n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(line);
            n.remove(List.of("seconds", "images_per_sec", "eval_seconds", "eval_images_per_sec"));
            return n.toString();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDivergingRunStopsWithExitOneNamingTheStep() throws IOException {
        Path out = tmp.resolve("nan");
        CliRun r = CliRun.of(args(TINY, "--dataset", "synthetic-digits", "--lr", "1e12", "--epochs", "3", "--out",
                out.toString()));
        assertEquals(1, r.code(), r.toString());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().matches("(?s)lanes: the loss is (NaN|Infinity|-Infinity) at step \\d+ \\(epoch \\d, batch \\d+\\).*"),
                r.err());
        assertFalse(Files.exists(out.resolve("model.safetensors")));
        for (Checkpoint c : Checkpoint.list(out)) { // whatever was saved before is complete and loadable
            assertTrue(Safetensors.load(c.weights()).size() > 0);
        }
    }

    @Test
    void badArgumentsExitWithTwoAndOneLineWithoutAStackTrace() {
        String[][] cases = {
            {"train", "lenet6"},
            {"train", "lenet5", "--epochs", "0"},
            {"train", "lenet5", "--lr", "fast"},
            {"train", "lenet5", "--lr", "-1"},
            {"train", "lenet5", "--optimizer", "rmsprop"},
            {"train", "lenet5", "--schedule", "linear"},
            {"train", "lenet5", "--batch-size", "0"},
            {"train", "lenet5", "--limit-train", "0"},
            {"train", "lenet5", "--threads", "0"},
            {"train", "lenet5", "--dataset", "imagenet"},
            {"train", "lenet5", "--recipe", "nope"},
            {"train", "lenet5", "--no-such-flag"},
            {"train"},
        };
        for (String[] c : cases) {
            CliRun r = CliRun.of(c);
            String what = String.join(" ", c) + "\n" + r;
            assertEquals(2, r.code(), what);
            assertTrue(r.errLines().length >= 1 && r.errLines().length <= 2, what);
            assertTrue(r.errLines()[0].startsWith("lanes: "), what);
            assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), what);
        }
    }

    @Test
    void aMissingOrCorruptDataSetStopsWithExitTwoNamingTheFile() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        CliRun r = CliRun.of("train", "lenet5", "--dataset", "mnist", "--data-dir", data.toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains(data.resolve("mnist").resolve("train-images-idx3-ubyte.gz").toString()), r.err());
        assertTrue(r.err().contains("lanes fetch mnist"), r.err());

        Path mnist = Files.createDirectories(data.resolve("mnist"));
        byte[] badMagic = {0, 0, 8, 4, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28};
        Files.write(mnist.resolve("train-images-idx3-ubyte"), badMagic);
        Files.write(mnist.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 3});
        r = CliRun.of("train", "lenet5", "--dataset", "mnist", "--data-dir", data.toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().length, r.err());
        assertTrue(r.err().contains(mnist.resolve("train-images-idx3-ubyte") + " at byte "), r.err());
    }

    @Test
    void verboseAddsTheStackTraceAfterTheSameFirstLine() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("empty"));
        CliRun plain = CliRun.of("train", "lenet5", "--dataset", "mnist", "--data-dir", data.toString());
        CliRun verbose = CliRun.of("train", "lenet5", "--dataset", "mnist", "--data-dir", data.toString(), "--verbose");
        assertEquals(2, plain.code(), plain.toString());
        assertEquals(2, verbose.code(), verbose.toString());
        assertEquals(1, plain.errLines().length, plain.err());
        assertEquals(plain.errLines()[0], verbose.errLines()[0], verbose.err());
        assertTrue(verbose.errLines().length > 3, verbose.err());
        assertTrue(verbose.err().contains("\tat dev.lanes."), verbose.err());
    }

    @Test
    void theDefaultRecipeOnRealDataIsTheFullOne() throws IOException {
        // with MNIST present (even a tiny fake one), no fallback and the lenet-mnist recipe
        Path data = tmp.resolve("data");
        Path mnist = Files.createDirectories(data.resolve("mnist"));
        for (String split : List.of("train", "t10k")) {
            int n = 40;
            byte[] images = new byte[16 + n * 784];
            byte[] labels = new byte[8 + n];
            java.nio.ByteBuffer.wrap(images).putInt(0x803).putInt(n).putInt(28).putInt(28);
            java.nio.ByteBuffer.wrap(labels).putInt(0x801).putInt(n);
            for (int i = 0; i < n; i++) {
                labels[8 + i] = (byte) (i % 10);
                for (int k = 0; k < 28; k++) {
                    images[16 + i * 784 + k * 28 + (i % 10) * 2] = (byte) 200;
                }
            }
            Files.write(mnist.resolve(split + "-images-idx3-ubyte"), images);
            Files.write(mnist.resolve(split + "-labels-idx1-ubyte"), labels);
        }
        CliRun r = CliRun.of("train", "lenet5", "--data-dir", data.toString(), "--epochs", "1", "--batch-size", "20");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("training lenet5 (61,706 parameters, input 1x32x32) on mnist: 40 training and 40 "
                + "test images, 1 epoch; recipe lenet-mnist"), r.out());
        assertNotNull(new File(data.toString()));
    }
}
