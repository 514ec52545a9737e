package dev.lanes.zoo.cli;

import static dev.lanes.zoo.cli.BenchSupport.median;
import static dev.lanes.zoo.cli.BenchSupport.random;
import static dev.lanes.zoo.cli.BenchSupport.sleepQuietly;

import dev.lanes.tensor.Gemm;
import dev.lanes.tensor.Parallel;
import dev.lanes.zoo.bench.NativeSgemm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code lanes bench gemm}: Lanes SGEMM and a native SGEMM (OpenBLAS, found through
 * {@link NativeSgemm}) timed alternately in one process, so that both see the same machine
 * state; GFLOPS = 2MNK / median time per call. With {@code --jvms N} the measurement is
 * repeated in N fresh JVMs (C2 compiles differently from launch to launch) and the median
 * ratio is reported last.
 */
@Command(name = "gemm", mixinStandardHelpOptions = true,
        description = "C = A*B (row-major, no transposes, random data): Lanes vs the native baseline.")
final class BenchGemmCommand implements Callable<Integer> {
    private static final Pattern IMPL_LINE = Pattern.compile("^(lanes|openblas)\\s+([0-9.]+) GFLOPS.*");
    /** Pause before a multi-threaded Lanes sample, for OpenBLAS' spinning workers to go to sleep. */
    private static final long NATIVE_IDLE_MS = 250;
    private static final Pattern RATIO_LINE = Pattern.compile("^ratio lanes/openblas: ([0-9.]+)$");

    @Option(names = "--m", defaultValue = "1024", description = "Rows of A and C (default ${DEFAULT-VALUE}).")
    int m;

    @Option(names = "--n", defaultValue = "1024", description = "Columns of B and C (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--k", defaultValue = "1024", description = "Columns of A, rows of B (default ${DEFAULT-VALUE}).")
    int k;

    /** Threads for both libraries. */
    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--jvms", defaultValue = "0",
            description = "Repeat in this many fresh JVMs and report the median ratio (default: this JVM only).")
    int jvms;

    @Option(names = "--samples", defaultValue = "15", description = "Timed samples per library (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--sample-ms", defaultValue = "100", description = "Length of one sample (default ${DEFAULT-VALUE}).")
    int sampleMs;

    @Option(names = "--warmup-ms", defaultValue = "2000", description = "Warm-up time (default ${DEFAULT-VALUE}).")
    int warmupMs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        validate();
        int t = threads.apply();
        PrintWriter out = spec.commandLine().getOut();
        NativeSgemm baseline = ServiceLoader.load(NativeSgemm.class).findFirst().orElse(null);
        if (baseline == null) {
            throw new IllegalStateException("no native SGEMM baseline on the class path (the perf module's "
                    + "OpenBLAS provider of " + NativeSgemm.class.getName() + "); run through the ./lanes launcher, "
                    + "which adds perf/target/lib");
        }
        return jvms > 0 ? inFreshJvms(out, t) : inThisJvm(out, baseline, t);
    }

    private void validate() {
        for (String[] opt : new String[][] {{"--m", "" + m}, {"--n", "" + n}, {"--k", "" + k},
                {"--samples", "" + samples}, {"--sample-ms", "" + sampleMs}}) {
            if (Integer.parseInt(opt[1]) < 1) {
                throw new IllegalArgumentException("bench gemm: " + opt[0] + " must be >= 1, got " + opt[1]);
            }
        }
        if (jvms < 0 || warmupMs < 0) {
            throw new IllegalArgumentException("bench gemm: --jvms and --warmup-ms must be >= 0, got "
                    + jvms + " and " + warmupMs);
        }
        long limit = Integer.MAX_VALUE - 16;
        if ((long) m * k > limit || (long) k * n > limit || (long) m * n > limit) {
            throw new IllegalArgumentException("bench gemm: " + m + "x" + n + "x" + k
                    + " needs a matrix of more than 2^31 elements");
        }
    }

    private int inThisJvm(PrintWriter out, NativeSgemm baseline, int t) {
        Parallel.setThreads(t);
        baseline.setThreads(t);
        SplittableRandom rnd = new SplittableRandom(42);
        float[] a = random(rnd, m * k), b = random(rnd, k * n);
        float[] cLanes = new float[m * n], cNative = new float[m * n];
        Runnable lanes = () -> Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, cLanes, 0, n);
        out.printf(Locale.ROOT, "gemm %dx%dx%d, %d thread%s; Java %s; Lanes %s; %s on pre-copied off-heap buffers "
                        + "(copies not timed)%n", m, n, k, t, t == 1 ? "" : "s", Runtime.version(), Gemm.describe(),
                baseline.name());
        try (NativeSgemm.Prepared nat = baseline.prepare(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f,
                cNative, 0, n)) {
            Runnable openblas = nat::run;
            lanes.run();
            openblas.run();
            nat.copyResultBack();
            checkAgree(cLanes, cNative);
            warmUp(lanes, openblas);
            double[][] perCall = timeAlternately(lanes, openblas, t > 1);
            double flops = 2.0 * m * n * k;
            double lanesGf = flops / median(perCall[0]) / 1e9;
            double nativeGf = flops / median(perCall[1]) / 1e9;
            out.printf(Locale.ROOT, "lanes     %.2f GFLOPS (median of %d samples, %.3f ms per call)%n",
                    lanesGf, samples, median(perCall[0]) * 1e3);
            out.printf(Locale.ROOT, "openblas  %.2f GFLOPS (median of %d samples, %.3f ms per call)%n",
                    nativeGf, samples, median(perCall[1]) * 1e3);
            out.printf(Locale.ROOT, "ratio lanes/openblas: %.2f%n", lanesGf / nativeGf);
        }
        out.flush();
        return LanesCli.EXIT_OK;
    }

    /** Both products must agree within the float error of a K-long dot product. */
    private void checkAgree(float[] x, float[] y) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Math.abs(x[i] - y[i]));
        }
        // Entries are in [-1, 1): a dot product is at most K in magnitude, with error ~K*2^-24 each way.
        double tol = 4.0 * k * Math.ulp(1f);
        if (!(worst <= tol)) {
            throw new IllegalStateException("bench gemm: Lanes and the baseline disagree: max |difference| "
                    + worst + " > " + tol);
        }
    }

    private void warmUp(Runnable lanes, Runnable openblas) {
        long start = System.nanoTime();
        int calls = 0;
        while (calls < 3 || System.nanoTime() - start < warmupMs * 1_000_000L) {
            lanes.run();
            openblas.run();
            calls++;
        }
    }

    /**
     * Samples of each library, alternating (ABBA, so that drift hits both alike); each
     * sample repeats its call for about {@code --sample-ms}, after a quarter as many untimed
     * calls, so that a sample measures back-to-back calls as in a training loop. Returns
     * seconds per call.
     * With several threads each Lanes sample waits {@link #NATIVE_IDLE_MS} first: after a
     * call, idle OpenBLAS workers keep spinning for 2^28 cycles (its THREAD_TIMEOUT, about
     * 0.1 s here) before they sleep, and would take CPU from Lanes' workers. (Lanes' own
     * ForkJoin workers park within microseconds, so OpenBLAS needs no such wait.)
     */
    private double[][] timeAlternately(Runnable lanes, Runnable openblas, boolean pause) {
        Runnable[] impl = {lanes, openblas};
        int[] reps = {repsFor(lanes), repsFor(openblas)};
        double[][] perCall = new double[2][samples];
        for (int s = 0; s < samples; s++) {
            for (int i = 0; i < 2; i++) {
                int which = (s & 1) == 0 ? i : 1 - i;
                if (pause && which == 0) {
                    sleepQuietly(NATIVE_IDLE_MS);
                }
                // Untimed calls first: after the other library's turn (or the pause) this
                // library's threads are parked and its data is out of cache.
                for (int r = 0; r < Math.max(1, reps[which] / 4); r++) {
                    impl[which].run();
                }
                long t0 = System.nanoTime();
                for (int r = 0; r < reps[which]; r++) {
                    impl[which].run();
                }
                perCall[which][s] = (System.nanoTime() - t0) / 1e9 / reps[which];
            }
        }
        return perCall;
    }

    private int repsFor(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        double ms = (System.nanoTime() - t0) / 1e6;
        return (int) Math.max(1, Math.min(1_000_000, Math.round(sampleMs / Math.max(ms, 1e-4))));
    }

    private int inFreshJvms(PrintWriter out, int t) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java binary runs this JVM"));
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                LanesCli.class.getName(), "bench", "gemm", "--m", "" + m, "--n", "" + n, "--k", "" + k,
                "--threads", "" + t, "--samples", "" + samples, "--sample-ms", "" + sampleMs,
                "--warmup-ms", "" + warmupMs));
        double[] ratios = new double[jvms], lanesGf = new double[jvms], nativeGf = new double[jvms];
        for (int j = 0; j < jvms; j++) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int code = p.waitFor();
            double[] parsed = parse(text);
            if (code != 0 || parsed == null) {
                throw new IllegalStateException("bench gemm: JVM " + (j + 1) + " failed (exit " + code + "):\n"
                        + text.strip());
            }
            if (j == 0) {
                text.lines().filter(l -> l.startsWith("gemm ")).findFirst().ifPresent(out::println);
            }
            lanesGf[j] = parsed[0];
            nativeGf[j] = parsed[1];
            ratios[j] = parsed[2];
            out.printf(Locale.ROOT, "jvm %d/%d: lanes %.2f GFLOPS, openblas %.2f GFLOPS, ratio %.2f%n",
                    j + 1, jvms, lanesGf[j], nativeGf[j], ratios[j]);
            out.flush();
        }
        out.printf(Locale.ROOT, "median of %d JVMs: lanes %.2f GFLOPS, openblas %.2f GFLOPS; slowest JVM ratio %.2f%n",
                jvms, median(lanesGf), median(nativeGf), Arrays.stream(ratios).min().orElseThrow());
        out.printf(Locale.ROOT, "ratio lanes/openblas: %.2f%n", median(ratios));
        out.flush();
        return LanesCli.EXIT_OK;
    }

    /** {lanes GFLOPS, openblas GFLOPS, ratio} from a child's output, or null. */
    static double[] parse(String text) {
        double[] r = {Double.NaN, Double.NaN, Double.NaN};
        for (String line : text.lines().toList()) {
            Matcher im = IMPL_LINE.matcher(line);
            if (im.matches()) {
                r[im.group(1).equals("lanes") ? 0 : 1] = Double.parseDouble(im.group(2));
            }
            Matcher rm = RATIO_LINE.matcher(line);
            if (rm.matches()) {
                r[2] = Double.parseDouble(rm.group(1));
            }
        }
        return Double.isNaN(r[0]) || Double.isNaN(r[1]) || Double.isNaN(r[2]) ? null : r;
    }
}
