package dev.lanes.zoo.models.lenet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.SharedTestData;
import dev.lanes.zoo.cli.LanesCli;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The README's accuracy claim: {@code lanes train lenet5} with its default recipe on real MNIST
 * reaches at least 99.0% test accuracy within its 10 epochs. Slow (minutes): runs with
 * {@code ./lanes test --slow} when MNIST is in {@code ../shared/data} beside the checkout or in
 * {@code -Dlanes.test.data=DIR}; skipped elsewhere.
 */
@Tag("slow")
class LeNet5MnistTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void theDefaultRecipeReaches99PercentOnMnistWithinTenEpochs() throws IOException {
        Path data = SharedTestData.dir();
        assumeTrue(data != null && Datasets.isPresent("mnist", data), "MNIST is not available here");
        Path metrics = tmp.resolve("metrics.jsonl");
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LanesCli.execute(new String[] {"train", "lenet5", "--data-dir", data.toString(), "--metrics-out",
            metrics.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("on mnist: 60,000 training and 10,000 test images, 10 epochs; recipe "
                + "lenet-mnist"), out.toString());
        List<String> lines = Files.readAllLines(metrics);
        assertEquals(10, lines.size(), String.join("\n", lines));
        double best = 0;
        for (String line : lines) {
            best = Math.max(best, JSON.readTree(line).get("test_acc").asDouble());
        }
        JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
        assertTrue(last.get("test_acc").asDouble() >= 0.990, "after 10 epochs: " + last + " (best " + best + ")");
    }
}
