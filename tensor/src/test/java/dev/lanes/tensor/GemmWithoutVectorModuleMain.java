package dev.lanes.tensor;

import java.util.SplittableRandom;

/**
 * Run by {@code GemmWithoutVectorModuleTest} in a child JVM started without
 * {@code --add-modules jdk.incubator.vector}: multiplies two matrices through {@link Gemm}
 * and prints what ran and the largest difference from {@link GemmReference}.
 */
public final class GemmWithoutVectorModuleMain {
    private GemmWithoutVectorModuleMain() {
    }

    public static void main(String[] args) {
        int m = 70, n = 90, k = 110;
        SplittableRandom rnd = new SplittableRandom(5);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], ref = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextDouble(-1, 1);
        }
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        Gemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, k, b, 0, n, 0f, new float[4], 0, 2);
        GemmReference.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, ref, 0, n);
        double maxErr = 0;
        for (int i = 0; i < c.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(c[i] - ref[i]));
        }
        System.out.println("kernel: " + Gemm.describe());
        System.out.println("simd: " + Vectorization.enabled());
        System.out.println("max error: " + maxErr);
        Parallel.shutdown();
    }
}
