package dev.lanes.perf;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.conv.Conv2d;
import dev.lanes.tensor.conv.ConvIm2col;
import dev.lanes.tensor.conv.ConvLayerSets;
import dev.lanes.tensor.conv.ConvShape;
import dev.lanes.zoo.cli.BenchConvCommand;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The zoo's convolution layers ({@link ConvLayerSets}), one pass at a time, three ways:
 * Lanes' dispatched {@link Conv2d}, im2col + Lanes SGEMM, and im2col + OpenBLAS (the same
 * im2col code, {@code cblas_sgemm} on pre-copied operands; see {@link BenchConvCommand.PreparedGemm}).
 * The secondary result {@code gflop} is GFLOPS (2 * MACs per call). Example:
 * {@code java -cp "perf/target/classes:perf/target/lib/*" org.openjdk.jmh.Main ConvBenchmark -p layer=resnet20/1 -p batch=64}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class ConvBenchmark {
    /** {@code SET/INDEX} into {@link ConvLayerSets}. */
    @Param({"lenet5/0", "lenet5/1", "resnet20/1", "resnet20/2", "resnet20/3", "resnet20/4", "resnet20/5",
            "vgg/0", "vgg/1", "inception/0", "inception/2", "inception/4", "capsnet/0", "capsnet/1"})
    public String layer;

    @Param({"1", "64"})
    public int batch;

    @Param({"fwd", "bwd-data", "bwd-weights"})
    public String pass;

    @Param({"2"})
    public int threads;

    ConvShape s;
    double gflopPerCall;
    float[] x;
    float[] w;
    float[] y;
    float[] dy;
    float[] dx;
    float[] dw;
    BenchConvCommand.PreparedGemm openblas;

    @Setup(Level.Trial)
    public void setUp() {
        String[] p = layer.split("/");
        s = ConvLayerSets.layers(p[0]).get(Integer.parseInt(p[1])).shape(batch);
        gflopPerCall = 2.0 * s.macs() / 1e9;
        SplittableRandom rnd = new SplittableRandom(42);
        x = GemmBenchmark.random(rnd, s.n() * s.cIn() * s.h() * s.w());
        w = GemmBenchmark.random(rnd, s.cOut() * s.cIn() / s.groups() * s.kh() * s.kw());
        dy = GemmBenchmark.random(rnd, s.n() * s.cOut() * s.outH() * s.outW());
        y = new float[dy.length];
        dx = new float[x.length];
        dw = new float[w.length];
        Parallel.setThreads(threads);
        OpenBlasSgemm blas = new OpenBlasSgemm();
        blas.setThreads(threads);
        openblas = new BenchConvCommand.PreparedGemm(blas);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        openblas.close();
        Parallel.shutdown();
    }

    /** GFLOPS as a JMH operations counter. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public double gflop;
    }

    private void run(ConvIm2col.Sgemm gemm, boolean dispatched) {
        switch (pass) {
            case "fwd" -> {
                if (dispatched) {
                    Conv2d.forward(s, x, 0, w, 0, null, 0, y, 0);
                } else {
                    ConvIm2col.forward(gemm, gemm == ConvIm2col.LANES, s, x, 0, w, 0, null, 0, y, 0);
                }
            }
            case "bwd-data" -> {
                if (dispatched) {
                    Conv2d.backwardData(s, dy, 0, w, 0, dx, 0);
                } else {
                    ConvIm2col.backwardData(gemm, gemm == ConvIm2col.LANES, s, dy, 0, w, 0, dx, 0);
                }
            }
            case "bwd-weights" -> {
                if (dispatched) {
                    Conv2d.backwardWeights(s, x, 0, dy, 0, dw, 0, null, 0);
                } else {
                    ConvIm2col.backwardWeights(gemm, gemm == ConvIm2col.LANES, s, x, 0, dy, 0, dw, 0, null, 0);
                }
            }
            default -> throw new IllegalArgumentException("unknown pass " + pass);
        }
    }

    @Benchmark
    public float[] lanes(Flops f) {
        run(null, true);
        f.gflop += gflopPerCall;
        return y;
    }

    @Benchmark
    public float[] im2colLanes(Flops f) {
        run(ConvIm2col.LANES, false);
        f.gflop += gflopPerCall;
        return y;
    }

    @Benchmark
    public float[] im2colOpenblas(Flops f) {
        run(openblas, false);
        f.gflop += gflopPerCall;
        return y;
    }
}
