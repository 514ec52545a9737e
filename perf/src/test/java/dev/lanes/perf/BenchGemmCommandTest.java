package dev.lanes.perf;

import dev.lanes.zoo.cli.LanesCli;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/** {@code lanes bench gemm} end to end, with OpenBLAS found through the perf module's service file. */
class BenchGemmCommandTest {
    private static final Pattern IMPL = Pattern.compile("^(lanes|openblas) +([0-9]+\\.[0-9]{2}) GFLOPS \\(median of 3 samples, .*\\)$");
    private static final Pattern RATIO = Pattern.compile("^ratio lanes/openblas: ([0-9]+\\.[0-9]{2})$");
    private static final String[] TINY = {"--m", "48", "--n", "40", "--k", "36", "--samples", "3",
            "--sample-ms", "5", "--warmup-ms", "50"};

    private record Run(int code, List<String> out, List<String> err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LanesCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString().lines().toList(), err.toString().lines().toList());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void printsOneLinePerImplementationAndTheRatioLast() {
        for (String threads : new String[] {"1", "2"}) {
            Run r = run(concat(new String[] {"bench", "gemm"}, concat(TINY, "--threads", threads)));
            assertEquals(0, r.code(), String.join("\n", r.err()));
            List<String> lines = r.out();
            assertEquals(4, lines.size(), String.join("\n", lines));
            assertTrue(lines.get(0).startsWith("gemm 48x40x36, " + threads + " thread"), lines.get(0));
            assertTrue(lines.get(0).contains("copies not timed"), lines.get(0));
            Matcher lanes = IMPL.matcher(lines.get(1)), blas = IMPL.matcher(lines.get(2));
            assertTrue(lanes.matches() && lanes.group(1).equals("lanes"), lines.get(1));
            assertTrue(blas.matches() && blas.group(1).equals("openblas"), lines.get(2));
            Matcher ratio = RATIO.matcher(lines.get(3));
            assertTrue(ratio.matches(), lines.get(3));
            double want = Double.parseDouble(lanes.group(2)) / Double.parseDouble(blas.group(2));
            assertEquals(String.format(Locale.ROOT, "%.2f", want), ratio.group(1), "ratio of the printed GFLOPS");
        }
    }

    @Test
    void freshJvmsReportEachRatioAndTheMedianLast() {
        Run r = run(concat(new String[] {"bench", "gemm"}, concat(TINY, "--threads", "1", "--jvms", "2")));
        assertEquals(0, r.code(), String.join("\n", r.err()) + String.join("\n", r.out()));
        List<String> lines = r.out();
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("gemm 48x40x36"), lines.get(0));
        Pattern jvm = Pattern.compile("^jvm ([12])/2: lanes [0-9.]+ GFLOPS, openblas [0-9.]+ GFLOPS, ratio ([0-9.]+)$");
        double[] ratios = new double[2];
        for (int i = 0; i < 2; i++) {
            Matcher mm = jvm.matcher(lines.get(1 + i));
            assertTrue(mm.matches(), lines.get(1 + i));
            ratios[i] = Double.parseDouble(mm.group(2));
        }
        assertTrue(lines.get(3).startsWith("median of 2 JVMs: lanes "), lines.get(3));
        Matcher ratio = RATIO.matcher(lines.get(4));
        assertTrue(ratio.matches(), lines.get(4));
        assertEquals((ratios[0] + ratios[1]) / 2, Double.parseDouble(ratio.group(1)), 0.0051);
    }

    @Test
    void badSizesExitWithCodeTwoAndOneLine() {
        for (String[] bad : new String[][] {{"--m", "0"}, {"--k", "-3"}, {"--n", "100000", "--m", "100000"}}) {
            Run r = run(concat(new String[] {"bench", "gemm"}, bad));
            assertEquals(LanesCli.EXIT_BAD_INPUT, r.code(), String.join(" ", bad));
            assertEquals(1, r.err().size(), String.join("\n", r.err()));
            assertTrue(r.err().get(0).startsWith("lanes: bench gemm: "), r.err().get(0));
            assertTrue(r.out().isEmpty(), String.join("\n", r.out()));
        }
    }
}
