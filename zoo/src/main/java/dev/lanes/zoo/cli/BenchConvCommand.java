package dev.lanes.zoo.cli;

import static dev.lanes.zoo.cli.BenchSupport.median;
import static dev.lanes.zoo.cli.BenchSupport.random;
import static dev.lanes.zoo.cli.BenchSupport.sleepQuietly;

import dev.lanes.tensor.Gemm;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.conv.Conv2d;
import dev.lanes.tensor.conv.ConvDirect;
import dev.lanes.tensor.conv.ConvDirectWeights;
import dev.lanes.tensor.conv.ConvIm2col;
import dev.lanes.tensor.conv.ConvImplicitGemm;
import dev.lanes.tensor.conv.ConvLayerSets;
import dev.lanes.tensor.conv.ConvShape;
import dev.lanes.zoo.bench.NativeSgemm;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * {@code lanes bench conv}: the convolution layers of a model, forward and both backward
 * passes, timed in one process for each implementation: Lanes' dispatched convolution
 * ({@link Conv2d}, what training runs), the direct kernels ({@link ConvDirect} forward and
 * backward-data, {@link ConvDirectWeights}, on the shapes they handle), im2col + Lanes SGEMM, and im2col + a native SGEMM
 * (OpenBLAS through {@link NativeSgemm}). GFLOPS = 2 * MACs / median time per call. The last
 * line is the geometric mean over layers and passes of dispatched Lanes over im2col+OpenBLAS.
 *
 * <p>The baseline runs the same im2col/col2im code as Lanes (one sample after another; the
 * native library uses its own threads) and calls {@code cblas_sgemm} on operands that already
 * live in native memory (one set per product shape, filled once), so that the copies between
 * Java arrays and native memory, which a native implementation would not make, are not timed.
 * Its results are checked against Lanes' on the first samples of the batch, with the copies.
 */
@Command(name = "conv", mixinStandardHelpOptions = true,
        description = "Convolution layers of a model (forward, backward-data, backward-weights): "
                + "Lanes vs im2col + the native SGEMM baseline.")
public final class BenchConvCommand implements Callable<Integer> {
    /** Pause before a multi-threaded Lanes sample, for OpenBLAS' spinning workers to go to sleep. */
    private static final long NATIVE_IDLE_MS = 150;
    private static final String[] PASSES = {"fwd", "bwd-data", "bwd-weights"};

    @Option(names = "--shape", defaultValue = "resnet20",
            description = "Layer set: lenet5, resnet20, vgg, inception, capsnet, peer (default ${DEFAULT-VALUE}).")
    String set;

    @Option(names = "--batch", defaultValue = "64", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @CommandLine.Mixin
    ThreadsOption threads;

    @Option(names = "--samples", defaultValue = "5", description = "Timed samples per implementation (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--sample-ms", defaultValue = "150", description = "Length of one sample (default ${DEFAULT-VALUE}).")
    int sampleMs;

    @Option(names = "--passes", split = ",", defaultValue = "fwd,bwd-data,bwd-weights",
            description = "Passes to time (default ${DEFAULT-VALUE}).")
    List<String> passes;

    @Option(names = "--no-baseline", description = "Skip im2col+OpenBLAS (then no ratio line).")
    boolean noBaseline;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One way to run a pass; {@code null} where it does not apply. */
    private record Impl(String name, Runnable[] passes) {
    }

    @Override
    public Integer call() {
        List<ConvLayerSets.Layer> layers = ConvLayerSets.layers(set);
        if (batch < 1 || samples < 1 || sampleMs < 1) {
            throw new IllegalArgumentException("bench conv: --batch, --samples and --sample-ms must be >= 1, got "
                    + batch + ", " + samples + ", " + sampleMs);
        }
        for (String p : passes) {
            if (!Arrays.asList(PASSES).contains(p)) {
                throw new IllegalArgumentException("bench conv: unknown pass '" + p + "'; known: " + String.join(",", PASSES));
            }
        }
        int t = threads.apply();
        NativeSgemm baseline = noBaseline ? null : ServiceLoader.load(NativeSgemm.class).findFirst().orElse(null);
        if (!noBaseline && baseline == null) {
            throw new IllegalStateException("no native SGEMM baseline on the class path (the perf module's OpenBLAS "
                    + "provider of " + NativeSgemm.class.getName() + "); run through the ./lanes launcher, or pass --no-baseline");
        }
        if (baseline != null) {
            baseline.setThreads(t);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "conv %s, batch %d, %d thread%s; Java %s; Lanes GEMM %s%s%n", set, batch, t,
                t == 1 ? "" : "s", Runtime.version(), Gemm.describe(),
                baseline == null ? "" : "; baseline im2col + " + baseline.name() + " (operands pre-copied, copies not timed)");
        out.printf(Locale.ROOT, "%-24s %-12s %8s %8s %9s %14s %16s %10s%n", "layer", "pass", "lanes", "direct", "implicit",
                "im2col+lanes", "im2col+openblas", "lanes/ob");
        out.flush();
        List<Double> ratios = new ArrayList<>();
        for (ConvLayerSets.Layer layer : layers) {
            ConvShape s = layer.shape(batch);
            benchLayer(out, layer.label(), s, baseline, t, ratios);
        }
        if (!ratios.isEmpty()) {
            double logSum = 0;
            for (double r : ratios) {
                logSum += Math.log(r);
            }
            out.printf(Locale.ROOT, "ratio lanes/im2col-openblas: %.2f%n", Math.exp(logSum / ratios.size()));
        }
        out.flush();
        return LanesCli.EXIT_OK;
    }

    private void benchLayer(PrintWriter out, String label, ConvShape s, NativeSgemm baseline, int t, List<Double> ratios) {
        SplittableRandom rnd = new SplittableRandom(42);
        int wSize = s.cOut() * (s.cIn() / s.groups()) * s.kh() * s.kw();
        float[] x = random(rnd, s.n() * s.cIn() * s.h() * s.w()), w = random(rnd, wSize);
        float[] dy = random(rnd, s.n() * s.cOut() * s.outH() * s.outW()), bias = random(rnd, s.cOut());
        float[] y = new float[dy.length], dx = new float[x.length], dw = new float[wSize], db = new float[s.cOut()];
        List<Impl> impls = new ArrayList<>();
        impls.add(new Impl("lanes", new Runnable[] {
                () -> Conv2d.forward(s, x, 0, w, 0, bias, 0, y, 0),
                () -> Conv2d.backwardData(s, dy, 0, w, 0, dx, 0),
                () -> Conv2d.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0)}));
        impls.add(new Impl("direct", new Runnable[] {
                ConvDirect.supports(s) ? () -> ConvDirect.forward(s, x, 0, w, 0, bias, 0, y, 0) : null,
                ConvDirect.supportsBackwardData(s) ? () -> ConvDirect.backwardData(s, dy, 0, w, 0, dx, 0) : null,
                ConvDirect.supports(s) ? () -> ConvDirectWeights.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0) : null}));
        impls.add(new Impl("implicit", new Runnable[] {
                ConvImplicitGemm.supports(s) ? () -> ConvImplicitGemm.forward(s, x, 0, w, 0, bias, 0, y, 0) : null,
                ConvDirect.supportsBackwardData(s) ? () -> ConvImplicitGemm.backwardData(s, dy, 0, w, 0, dx, 0) : null,
                ConvImplicitGemm.supports(s) ? () -> ConvImplicitGemm.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0) : null}));
        impls.add(new Impl("im2col+lanes", new Runnable[] {
                () -> ConvIm2col.forward(s, x, 0, w, 0, bias, 0, y, 0),
                () -> ConvIm2col.backwardData(s, dy, 0, w, 0, dx, 0),
                () -> ConvIm2col.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0)}));
        PreparedGemm nativeGemm = null;
        if (baseline != null) {
            checkBaseline(s, baseline, x, w, bias, dy);
            PreparedGemm g = new PreparedGemm(baseline);
            nativeGemm = g;
            impls.add(new Impl("im2col+openblas", new Runnable[] {
                    () -> ConvIm2col.forward(g, false, s, x, 0, w, 0, bias, 0, y, 0),
                    () -> ConvIm2col.backwardData(g, false, s, dy, 0, w, 0, dx, 0),
                    () -> ConvIm2col.backwardWeights(g, false, s, x, 0, dy, 0, dw, 0, db, 0)}));
        }
        try {
            for (int p = 0; p < PASSES.length; p++) {
                if (!passes.contains(PASSES[p])) {
                    continue;
                }
                List<Runnable> runs = new ArrayList<>();
                for (Impl impl : impls) {
                    if (impl.passes()[p] != null) {
                        runs.add(impl.passes()[p]);
                    }
                }
                double[] perCall = timeAlternately(runs.toArray(new Runnable[0]), baseline != null && t > 1);
                double flops = 2.0 * s.macs();
                String[] cells = new String[impls.size()];
                double[] gf = new double[impls.size()];
                for (int i = 0, j = 0; i < impls.size(); i++) {
                    boolean ran = impls.get(i).passes()[p] != null;
                    gf[i] = ran ? flops / perCall[j++] / 1e9 : Double.NaN;
                    cells[i] = ran ? String.format(Locale.ROOT, "%.1f", gf[i]) : "-";
                }
                String ratio = "";
                if (baseline != null) {
                    ratios.add(gf[0] / gf[4]);
                    ratio = String.format(Locale.ROOT, "%.2f", gf[0] / gf[4]);
                }
                out.printf(Locale.ROOT, "%-24s %-12s %8s %8s %9s %14s %16s %10s%n", label, PASSES[p], cells[0], cells[1],
                        cells[2], cells[3], baseline == null ? "-" : cells[4], ratio);
                out.flush();
            }
        } finally {
            if (nativeGemm != null) {
                nativeGemm.close();
            }
        }
    }

    /**
     * The baseline must compute the same convolution: on the first (at most 2) samples, im2col
     * with the native SGEMM on copied operands against Lanes' dispatched convolution.
     */
    private static void checkBaseline(ConvShape full, NativeSgemm baseline, float[] x, float[] w, float[] bias, float[] dy) {
        ConvShape s = new ConvShape(Math.min(2, full.n()), full.cIn(), full.h(), full.w(), full.cOut(), full.kh(),
                full.kw(), full.strideH(), full.strideW(), full.padH(), full.padW(), full.dilH(), full.dilW(),
                full.groups());
        ConvIm2col.Sgemm copying = baseline::sgemm;
        int outSize = s.n() * s.cOut() * s.outH() * s.outW(), inSize = s.n() * s.cIn() * s.h() * s.w();
        float[] y1 = new float[outSize], y2 = new float[outSize];
        Conv2d.forward(s, x, 0, w, 0, bias, 0, y1, 0);
        ConvIm2col.forward(copying, false, s, x, 0, w, 0, bias, 0, y2, 0);
        float[] dx1 = new float[inSize], dx2 = new float[inSize];
        Conv2d.backwardData(s, dy, 0, w, 0, dx1, 0);
        ConvIm2col.backwardData(copying, false, s, dy, 0, w, 0, dx2, 0);
        float[] dw1 = new float[w.length], dw2 = new float[w.length];
        Conv2d.backwardWeights(s, x, 0, dy, 0, dw1, 0, null, 0);
        ConvIm2col.backwardWeights(copying, false, s, x, 0, dy, 0, dw2, 0, null, 0);
        long depth = Math.max((long) s.cIn() / s.groups() * s.kh() * s.kw(),
                Math.max((long) s.cOut() / s.groups() * s.kh() * s.kw(), (long) s.n() * s.outH() * s.outW()));
        double tol = 1e-4 + 8.0 * depth * Math.ulp(1f);
        for (float[][] pair : new float[][][] {{y1, y2}, {dx1, dx2}, {dw1, dw2}}) {
            for (int i = 0; i < pair[0].length; i++) {
                if (!(Math.abs(pair[0][i] - pair[1][i]) <= tol)) {
                    throw new IllegalStateException("bench conv: Lanes and the baseline disagree on " + s + " at " + i
                            + ": " + pair[0][i] + " vs " + pair[1][i]);
                }
            }
        }
    }

    /**
     * Samples of each implementation in turn (the order reversed every other sample), each
     * repeating its call for about {@code --sample-ms} after one untimed call. Returns the
     * median seconds per call of each.
     */
    private double[] timeAlternately(Runnable[] impls, boolean pauseForNative) {
        int[] reps = new int[impls.length];
        for (int i = 0; i < impls.length; i++) {
            impls[i].run(); // first call: scratch buffers, JIT
            long t0 = System.nanoTime();
            impls[i].run();
            double ms = (System.nanoTime() - t0) / 1e6;
            reps[i] = (int) Math.max(1, Math.min(100_000, Math.round(sampleMs / Math.max(ms, 1e-3))));
        }
        double[][] perCall = new double[impls.length][samples];
        for (int s = 0; s < samples; s++) {
            for (int j = 0; j < impls.length; j++) {
                int i = (s & 1) == 0 ? j : impls.length - 1 - j;
                if (pauseForNative && i != impls.length - 1) {
                    sleepQuietly(NATIVE_IDLE_MS);
                }
                impls[i].run();
                long t0 = System.nanoTime();
                for (int r = 0; r < reps[i]; r++) {
                    impls[i].run();
                }
                perCall[i][s] = (System.nanoTime() - t0) / 1e9 / reps[i];
            }
        }
        double[] med = new double[impls.length];
        for (int i = 0; i < impls.length; i++) {
            med[i] = median(perCall[i]);
        }
        return med;
    }

    /**
     * The native SGEMM on operands already in native memory: one prepared product per
     * distinct call shape, filled with random values once. Timing-equivalent to the real
     * product (a dense SGEMM does the same work whatever the values); its numbers are
     * checked separately ({@link #checkBaseline}). Also the baseline of the JMH {@code ConvBenchmark}.
     */
    public static final class PreparedGemm implements ConvIm2col.Sgemm, AutoCloseable {
        private final NativeSgemm nativeSgemm;
        private final Map<String, NativeSgemm.Prepared> prepared = new HashMap<>();

        public PreparedGemm(NativeSgemm nativeSgemm) {
            this.nativeSgemm = nativeSgemm;
        }

        @Override
        public void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                          float beta, float[] c, int cOff, int ldc) {
            String key = transA + " " + transB + " " + m + " " + n + " " + k + " " + lda + " " + ldb + " " + ldc + " " + beta;
            NativeSgemm.Prepared p = prepared.get(key);
            if (p == null) {
                SplittableRandom r = new SplittableRandom(key.hashCode());
                float[] na = random(r, (transA ? k : m) * lda), nb = random(r, (transB ? n : k) * ldb);
                float[] nc = random(r, m * ldc);
                p = nativeSgemm.prepare(transA, transB, m, n, k, alpha, na, 0, lda, nb, 0, ldb, beta, nc, 0, ldc);
                prepared.put(key, p);
            }
            p.run();
        }

        @Override
        public void close() {
            prepared.values().forEach(NativeSgemm.Prepared::close);
        }
    }
}
