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
            "^(\\S+ \\dx\\d @\\d+x\\d+) +(fwd|bwd-data|bwd-weights) +([0-9.]+) +([0-9.]+|-) +([0-9.]+|-) +([0-9.]+) +([0-9.]+) +([0-9.]+)$");
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
        // each printed row ratio r stands for a true ratio in [r - 0.005, r + 0.005] (rounded to 0.01;
        // on a loaded machine a 2 ms sample of a tiny layer can print 0.00), so the printed geometric
        // mean must lie between the means of those bounds
        double logLow = 0, logHigh = 0;
        for (int i = 2; i < 8; i++) {
            Matcher m = ROW.matcher(lines.get(i));
            assertTrue(m.matches(), lines.get(i));
            // tiny layers on a loaded machine may print 0.0 GFLOPS; the ratio column is what the last line uses
            assertTrue(Double.parseDouble(m.group(3)) >= 0 && Double.parseDouble(m.group(7)) >= 0, lines.get(i));
            double r = Double.parseDouble(m.group(8));
            logLow += Math.log(Math.max(r - 0.005, 1e-6));
            logHigh += Math.log(r + 0.005);
            // LeNet's layers have stride 1: the direct kernels and the implicit GEMM are timed for every pass
            assertNotEquals("-", m.group(4), lines.get(i));
            assertNotEquals("-", m.group(5), lines.get(i));
        }
        Matcher ratio = RATIO.matcher(lines.get(8));
        assertTrue(ratio.matches(), lines.get(8));
        double printed = Double.parseDouble(ratio.group(1));
        double low = Math.exp(logLow / 6) - 0.005, high = Math.exp(logHigh / 6) + 0.005;
        assertTrue(printed >= low && printed <= high,
                "printed " + printed + " outside [" + low + ", " + high + "]\n" + String.join("\n", lines));
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
