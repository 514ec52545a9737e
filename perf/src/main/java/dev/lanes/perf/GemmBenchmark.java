package dev.lanes.perf;

import dev.lanes.tensor.Gemm;
import dev.lanes.tensor.Parallel;
import dev.lanes.zoo.bench.NativeSgemm;
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
 * SGEMM {@code C = A*B} (row-major, no transposes) three ways: Lanes ({@link Gemm#sgemm},
 * SIMD), the blocked scalar twin ({@link Gemm#sgemmScalar}) and OpenBLAS {@code cblas_sgemm}
 * on pre-copied off-heap buffers. The primary score is calls per second; the secondary
 * result {@code gflop} (an operations counter, also "ops/s") is GFLOPS = 2MNK per second.
 * Several forks: C2 compiles differently from launch to launch. The naive loop is
 * {@link NaiveGemmBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class GemmBenchmark {
    /** M x N x K: the square sizes and two convolution-shaped products (im2col of a 3x3 conv). */
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "64x1024x576", "256x64x2304"})
    public String shape;

    @Param({"1", "2"})
    public int threads;

    int m;
    int n;
    int k;
    double gflopPerCall;
    float[] a;
    float[] b;
    float[] c;
    NativeSgemm.Prepared openblas;

    @Setup(Level.Trial)
    public void setUp() {
        int[] mnk = parseShape(shape);
        m = mnk[0];
        n = mnk[1];
        k = mnk[2];
        gflopPerCall = 2.0 * m * n * k / 1e9;
        SplittableRandom rnd = new SplittableRandom(42);
        a = random(rnd, m * k);
        b = random(rnd, k * n);
        c = new float[m * n];
        Parallel.setThreads(threads);
        OpenBlasSgemm blas = new OpenBlasSgemm();
        blas.setThreads(threads);
        openblas = blas.prepare(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        openblas.close();
        Parallel.shutdown();
    }

    /** GFLOPS as a JMH operations counter: each call adds its 2MNK / 1e9. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        public double gflop;
    }

    @Benchmark
    public float[] lanesSimd(Flops f) {
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        f.gflop += gflopPerCall;
        return c;
    }

    @Benchmark
    public float[] blockedScalar(Flops f) {
        Gemm.sgemmScalar(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        f.gflop += gflopPerCall;
        return c;
    }

    @Benchmark
    public void openblas(Flops f) {
        openblas.run();
        f.gflop += gflopPerCall;
    }

    static int[] parseShape(String shape) {
        String[] p = shape.split("x");
        return new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2])};
    }

    static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
