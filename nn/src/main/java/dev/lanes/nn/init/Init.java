package dev.lanes.nn.init;

import dev.lanes.nn.Tape;
import dev.lanes.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Weight initializers with PyTorch's formulas ({@code torch.nn.init}), each drawing from an
 * explicit generator. {@link #random(long, String)} gives every parameter its own generator
 * from (seed, name), so a weight does not change when another layer is added.
 */
public final class Init {
    private Init() {
    }

    /** Which fan a Kaiming initializer preserves. */
    public enum Fan { IN, OUT }

    /** The non-linearity that follows, for {@link #gain}. */
    public enum Nonlinearity { LINEAR, SIGMOID, TANH, RELU, LEAKY_RELU, SELU }

    /** A generator for the parameter or module called {@code name} under {@code seed}. */
    public static SplittableRandom random(long seed, String name) {
        long h = 0xcbf29ce484222325L;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return new SplittableRandom(Tape.mix(seed ^ Tape.mix(h)));
    }

    /** PyTorch's {@code calculate_gain}; {@code param} is the negative slope of a leaky relu. */
    public static double gain(Nonlinearity f, double param) {
        return switch (f) {
            case LINEAR, SIGMOID -> 1.0;
            case TANH -> 5.0 / 3;
            case RELU -> Math.sqrt(2.0);
            case LEAKY_RELU -> Math.sqrt(2.0 / (1 + param * param));
            case SELU -> 3.0 / 4;
        };
    }

    /** {@code shape[1] * receptive field} (PyTorch's fan_in; for a transposed convolution this is out/groups * k * k). */
    public static int fanIn(int[] shape) {
        return shape.length < 2 ? shape[0] : shape[1] * receptive(shape);
    }

    /** {@code shape[0] * receptive field}. */
    public static int fanOut(int[] shape) {
        return shape[0] * receptive(shape);
    }

    private static int receptive(int[] shape) {
        int r = 1;
        for (int i = 2; i < shape.length; i++) {
            r *= shape[i];
        }
        return r;
    }

    public static Tensor uniform(Tensor t, double lo, double hi, SplittableRandom r) {
        float[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            d[t.offset() + i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return t;
    }

    public static Tensor normal(Tensor t, double mean, double std, SplittableRandom r) {
        float[] d = t.data();
        for (int i = 0; i < t.size(); i++) {
            d[t.offset() + i] = (float) (mean + std * Tensor.gaussian(r));
        }
        return t;
    }

    public static Tensor constant(Tensor t, float value) {
        return t.fill(value);
    }

    /** He et al. 2015, uniform: bound {@code gain * sqrt(3 / fan)}. */
    public static Tensor kaimingUniform(Tensor w, double a, Fan mode, Nonlinearity f, SplittableRandom r) {
        double std = gain(f, a) / Math.sqrt(mode == Fan.IN ? fanIn(w.shape()) : fanOut(w.shape()));
        double bound = Math.sqrt(3.0) * std;
        return uniform(w, -bound, bound, r);
    }

    /** He et al. 2015, normal: std {@code gain / sqrt(fan)}. */
    public static Tensor kaimingNormal(Tensor w, double a, Fan mode, Nonlinearity f, SplittableRandom r) {
        double std = gain(f, a) / Math.sqrt(mode == Fan.IN ? fanIn(w.shape()) : fanOut(w.shape()));
        return normal(w, 0, std, r);
    }

    /** Glorot and Bengio 2010, uniform: bound {@code gain * sqrt(6 / (fanIn + fanOut))}. */
    public static Tensor xavierUniform(Tensor w, double gain, SplittableRandom r) {
        double bound = gain * Math.sqrt(6.0 / (fanIn(w.shape()) + fanOut(w.shape())));
        return uniform(w, -bound, bound, r);
    }

    /** Glorot and Bengio 2010, normal: std {@code gain * sqrt(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor w, double gain, SplittableRandom r) {
        return normal(w, 0, gain * Math.sqrt(2.0 / (fanIn(w.shape()) + fanOut(w.shape()))), r);
    }

    /**
     * PyTorch's default for Linear and convolutions: {@code kaiming_uniform(a = sqrt 5)}, i.e.
     * uniform with bound {@code 1 / sqrt(fanIn)}, and the bias (if any) uniform with the same bound.
     */
    public static void pytorchDefault(Tensor weight, Tensor bias, SplittableRandom r) {
        kaimingUniform(weight, Math.sqrt(5), Fan.IN, Nonlinearity.LEAKY_RELU, r);
        if (bias != null) {
            int fan = fanIn(weight.shape());
            double bound = fan > 0 ? 1 / Math.sqrt(fan) : 0;
            uniform(bias, -bound, bound, r);
        }
    }
}
