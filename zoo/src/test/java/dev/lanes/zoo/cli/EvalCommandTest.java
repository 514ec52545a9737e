package dev.lanes.zoo.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

class EvalCommandTest {
    @TempDir
    Path tmp;

    @Test
    void evaluatesTrainedWeightsOnTheirDataSet() {
        CliRun r = CliRun.of("eval", "lenet5", "--weights", TrainedFixture.weights().toString(), "--limit-test", "500");
        assertEquals(0, r.code(), r.toString());
        Matcher m = Pattern.compile("lenet5 on synthetic-digits test \\(500 images\\): loss ([0-9.]+), accuracy ([0-9.]+)%")
                .matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(2)) > 50, "a trained LeNet-5 beats chance (10%) by far: " + r.out());
        assertTrue(r.out().contains("images/s"), r.out());
    }

    @Test
    void refusesWeightsOfAnotherModelAndDamagedOrMissingFiles() throws IOException {
        CliRun r = CliRun.of("eval", "lenet5-relu", "--weights", TrainedFixture.weights().toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("holds weights of lenet5, not of lenet5-relu"), r.err());

        Path bad = tmp.resolve("bad.safetensors");
        byte[] bytes = Files.readAllBytes(TrainedFixture.weights());
        Files.write(bad, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        r = CliRun.of("eval", "lenet5", "--weights", bad.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("lanes: " + bad + " at byte "), r.err());

        r = CliRun.of("eval", "lenet5", "--weights", tmp.resolve("none.safetensors").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("none.safetensors"), r.err());

        r = CliRun.of("eval", "lenet5");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("--weights"), r.err());

        r = CliRun.of("eval", "lenet5", "--weights", TrainedFixture.weights().toString(), "--dataset", "cifar10");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("was trained on synthetic-digits"), r.err());
    }
}
