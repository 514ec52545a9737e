package dev.lanes.zoo.cli;

import java.util.Arrays;
import java.util.SplittableRandom;

/** What the {@code lanes bench} commands share: operands, medians, pauses between libraries. */
final class BenchSupport {
    private BenchSupport() {
    }

    /** The median of {@code x} (the mean of the middle two for an even count); {@code x} is not changed. */
    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }

    /** {@code size} floats uniform in [-1, 1), the operands every benchmark times. */
    static float[] random(SplittableRandom rnd, int size) {
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    /** Sleeps {@code ms}, keeping the interrupt flag; used to let a native library's spinning threads idle. */
    static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
