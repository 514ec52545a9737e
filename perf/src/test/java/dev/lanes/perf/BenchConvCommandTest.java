package dev.lanes.perf;

import dev.lanes.zoo.cli.LanesCli;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** {@code lanes bench conv} end to end, with the OpenBLAS baseline found through the perf module's service file. */
class BenchConvCommandTest {
    private static final Pattern ROW = Pattern.compile(
            "^(\\S+ \\dx\\d @\\d+x\\d+) +(fwd|bwd-data|bwd-weights) +([0-9.]+) +([0-9.]+|-) +([0-9.]+) +([0-9.]+) +([0-9.]+)$");
    private static final Pattern RATIO = Pattern.compile("^ratio lanes/im2col-openblas: ([0-9]+\\.[0-9]{2})$");

    private static List<String> run(int expectedCode, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LanesCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(expectedCode, code, err + "\n" + out);
        return out.toString().lines().toList();
    }

    @Test
    void printsEveryLayerAndPassThenTheGeometricMeanRatio() {
        List<String> lines = run(0, "bench", "conv", "--shape", "lenet5", "--batch", "3", "--threads", "2",
                "--samples", "1", "--sample-ms", "2");
        assertEquals(2 + 2 * 3 + 1, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("conv lenet5, batch 3, 2 threads"), lines.get(0));
        double logSum = 0, smallest = Double.MAX_VALUE;
        for (int i = 2; i < 8; i++) {
            Matcher m = ROW.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            // tiny layers on a loaded machine may print 0.0 GFLOPS; the ratio column is what the last line uses
            assertTrue(Double.parseDouble(m.group(3)) >= 0 && Double.parseDouble(m.group(6)) >= 0, lines.get(i));
            logSum += Math.log(Double.parseDouble(m.group(7)));
            smallest = Math.min(smallest, Double.parseDouble(m.group(7)));
            // LeNet's layers have stride 1: the direct kernels are timed for every pass
            assertNotEquals("-", m.group(4), lines.get(i));
        }
        Matcher ratio = RATIO.matcher(lines.get(8));
        assertTrue(ratio.matches(), lines.get(8));
        // the printed per-row ratios are rounded to 0.01, so their mean may differ in the last digit;
        // a row printed as 0.0x (a disturbed 2-ms sample on a loaded machine) carries too little precision
        double mean = Math.exp(logSum / 6), printed = Double.parseDouble(ratio.group(1));
        if (smallest >= 0.1) {
            assertEquals(mean, printed, 0.01 + 0.05 * mean, lines.get(8));
        } else {
            assertTrue(printed >= 0, lines.get(8));
        }
    }

    @Test
    void anUnknownLayerSetIsABadArgumentNamingTheKnownOnes() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LanesCli.execute(new String[] {"bench", "conv", "--shape", "alexnet9"},
                new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(LanesCli.EXIT_BAD_INPUT, code, err.toString());
        assertTrue(err.toString().contains("resnet20"), err.toString());
    }
}
