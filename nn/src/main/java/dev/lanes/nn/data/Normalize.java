package dev.lanes.nn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Per-channel {@code (x - mean[c]) / std[c]}, as torchvision's {@code Normalize}. */
public final class Normalize implements Transform {
    /** The usual MNIST statistics (of the training set, pixels in [0, 1]). */
    public static final Normalize MNIST = new Normalize(new float[] {0.1307f}, new float[] {0.3081f});
    /** The usual CIFAR-10 statistics (of the training set, pixels in [0, 1]). */
    public static final Normalize CIFAR10 = new Normalize(new float[] {0.4914f, 0.4822f, 0.4465f},
            new float[] {0.2470f, 0.2435f, 0.2616f});

    private final float[] mean;
    private final float[] invStd;
    private final float[] std;

    public Normalize(float[] mean, float[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("normalize needs one mean and one std per channel, got "
                    + mean.length + " means and " + std.length + " stds");
        }
        this.mean = mean.clone();
        this.std = std.clone();
        this.invStd = new float[std.length];
        for (int c = 0; c < std.length; c++) {
            if (!(std[c] > 0f)) {
                throw new IllegalArgumentException("std of channel " + c + " must be > 0, got " + std[c]);
            }
            invStd[c] = 1f / std[c];
        }
    }

    /**
     * The per-channel mean and standard deviation of a whole data set (population statistics,
     * summed in doubles in sample order, so the result is the same on every run).
     */
    public static Normalize fitted(Dataset data) {
        int channels = data.channels();
        int plane = data.height() * data.width();
        double[] sum = new double[channels];
        double[] sumSq = new double[channels];
        float[] buf = new float[data.sampleSize()];
        for (int i = 0; i < data.size(); i++) {
            data.read(i, buf, 0);
            for (int c = 0; c < channels; c++) {
                double s = 0;
                double q = 0;
                for (int k = c * plane; k < (c + 1) * plane; k++) {
                    s += buf[k];
                    q += (double) buf[k] * buf[k];
                }
                sum[c] += s;
                sumSq[c] += q;
            }
        }
        double count = (double) data.size() * plane;
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            double m = sum[c] / count;
            mean[c] = (float) m;
            std[c] = (float) Math.sqrt(Math.max(sumSq[c] / count - m * m, 1e-12));
        }
        return new Normalize(mean, std);
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    @Override
    public int[] outputShape(int[] in) {
        if (in[0] != mean.length) {
            throw new IllegalArgumentException("normalize has " + mean.length + " channels but the sample shape is "
                    + Arrays.toString(in));
        }
        return in.clone();
    }

    @Override
    public void apply(float[] src, int srcOff, int[] in, float[] dst, int dstOff, SplittableRandom rnd) {
        int plane = in[1] * in[2];
        for (int c = 0; c < in[0]; c++) {
            float m = mean[c];
            float s = invStd[c];
            int base = c * plane;
            for (int k = base; k < base + plane; k++) {
                dst[dstOff + k] = (src[srcOff + k] - m) * s;
            }
        }
    }

    @Override
    public boolean inPlace() {
        return true;
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
