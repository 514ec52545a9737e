package dev.lanes.perf;

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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The plain Java SGEMM a user would write first: the i-k-j triple loop on row-major arrays,
 * one thread (the peers' "naive" baseline). Same shapes and {@code gflop} counter as
 * {@link GemmBenchmark}; at 2048^3 one call takes seconds, so iterations are longer.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(value = 3, jvmArgsPrepend = {"--add-modules=jdk.incubator.vector"})
@State(Scope.Benchmark)
public class NaiveGemmBenchmark {
    @Param({"64x64x64", "128x128x128", "256x256x256", "512x512x512", "1024x1024x1024", "2048x2048x2048",
            "64x1024x576", "256x64x2304"})
    public String shape;

    int m;
    int n;
    int k;
    double gflopPerCall;
    float[] a;
    float[] b;
    float[] c;

    @Setup(Level.Trial)
    public void setUp() {
        int[] mnk = GemmBenchmark.parseShape(shape);
        m = mnk[0];
        n = mnk[1];
        k = mnk[2];
        gflopPerCall = 2.0 * m * n * k / 1e9;
        SplittableRandom rnd = new SplittableRandom(42);
        a = GemmBenchmark.random(rnd, m * k);
        b = GemmBenchmark.random(rnd, k * n);
        c = new float[m * n];
    }

    @Benchmark
    public float[] naiveIkj(GemmBenchmark.Flops f) {
        naive(a, b, c, m, n, k);
        f.gflop += gflopPerCall;
        return c;
    }

    /** C = A * B, i-k-j order. */
    static void naive(float[] a, float[] b, float[] c, int m, int n, int k) {
        Arrays.fill(c, 0f);
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                float av = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += av * b[p * n + j];
                }
            }
        }
    }
}
