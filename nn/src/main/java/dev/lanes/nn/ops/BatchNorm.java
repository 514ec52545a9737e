package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;

/**
 * Batch normalization over the channel axis 1 of {@code [N, C]}, {@code [N, C, L]} or
 * {@code [N, C, H, W]}. In training it normalizes with the batch statistics (biased
 * variance) and updates the running ones (unbiased variance, PyTorch's momentum convention);
 * in evaluation it uses the running statistics. Each channel's statistics are summed by one
 * task: SIMD sums per plane, combined in double in batch order, so they do not depend on the
 * thread count.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    /**
     * @param weight       per-channel scale {@code [C]} or null
     * @param bias         per-channel shift {@code [C]} or null
     * @param runningMean  {@code [C]}, updated in place in training; may be null in training only
     * @param runningVar   {@code [C]}, likewise
     * @param momentum     weight of the new batch in the running statistics (PyTorch's, default 0.1)
     */
    public static Var batchNorm(Var x, Var weight, Var bias, Tensor runningMean, Tensor runningVar,
                                boolean training, float momentum, float eps) {
        Tape t = Tape.of(x, weight, bias);
        Tensor xv = x.value();
        int[] xs = xv.shape();
        if (xs.length < 2) {
            throw new IllegalArgumentException("batchNorm: input must be [N, C, ...], got " + Shapes.toString(xs));
        }
        int n = xs[0], c = xs[1], plane = xv.size() / Math.max(1, n * c);
        for (Object[] p : new Object[][] {{"weight", weight == null ? null : weight.value()},
                {"bias", bias == null ? null : bias.value()}, {"running mean", runningMean}, {"running var", runningVar}}) {
            Tensor v = (Tensor) p[1];
            if (v != null && (v.size() != c)) {
                throw new IllegalArgumentException("batchNorm: " + p[0] + " " + Shapes.toString(v.shape())
                        + " does not match the " + c + " channels of input " + Shapes.toString(xs));
            }
        }
        if (!training && (runningMean == null || runningVar == null)) {
            throw new IllegalArgumentException("batchNorm: evaluation needs running statistics");
        }
        long count = (long) n * plane;
        if (training && count < 2) {
            throw new IllegalArgumentException("batchNorm: training needs more than one value per channel, input "
                    + Shapes.toString(xs));
        }
        float[] xa = xv.data();
        int xo = xv.offset();
        // per channel: mean and 1/sqrt(var + eps) of the statistics in use
        Tensor stats = t.alloc(2, c);
        float[] st = stats.data();
        int so = stats.offset();
        if (training) {
            Parallel.parallelFor(c, 1, (s, e) -> {
                for (int ch = s; ch < e; ch++) {
                    // SIMD sums per plane, combined in double in batch order
                    double sum = 0;
                    for (int b = 0; b < n; b++) {
                        sum += VectorMath.sum(xa, xo + (b * c + ch) * plane, plane);
                    }
                    double mean = sum / count;
                    double sq = 0;
                    for (int b = 0; b < n; b++) {
                        sq += VectorMath.sumSquaredDeviation(xa, xo + (b * c + ch) * plane, (float) mean, plane);
                    }
                    double var = sq / count;
                    st[so + ch] = (float) mean;
                    st[so + c + ch] = (float) (1.0 / Math.sqrt(var + eps));
                    if (runningMean != null) {
                        int i = runningMean.offset() + ch;
                        runningMean.data()[i] = (float) ((1 - momentum) * runningMean.data()[i] + momentum * mean);
                    }
                    if (runningVar != null) {
                        int i = runningVar.offset() + ch;
                        runningVar.data()[i] = (float) ((1 - momentum) * runningVar.data()[i]
                                + momentum * var * count / (count - 1));
                    }
                }
            });
        } else {
            for (int ch = 0; ch < c; ch++) {
                st[so + ch] = runningMean.data()[runningMean.offset() + ch];
                st[so + c + ch] = (float) (1.0 / Math.sqrt(runningVar.data()[runningVar.offset() + ch] + (double) eps));
            }
        }
        Tensor y = t.alloc(xs);
        float[] ya = y.data();
        int yo = y.offset();
        Parallel.parallelFor(n * c, Math.max(1, (1 << 14) / Math.max(1, plane)), (s, e) -> {
            for (int p = s; p < e; p++) {
                int ch = p % c;
                float scale = st[so + c + ch] * (weight == null ? 1f : weight.value().data()[weight.value().offset() + ch]);
                float shift = (bias == null ? 0f : bias.value().data()[bias.value().offset() + ch]) - st[so + ch] * scale;
                VectorMath.scaleShift(scale, shift, xa, xo + p * plane, ya, yo + p * plane, plane);
            }
        });
        t.addFlops(2L * xv.size());
        Var out = t.output("batchNorm", y, t.needsGrad(x, weight, bias));
        if (out.requiresGrad()) {
            t.record(out, dy -> backward(t, x, weight, bias, dy, stats, n, c, plane, training));
        }
        return out;
    }

    private static void backward(Tape t, Var x, Var weight, Var bias, Tensor dy, Tensor stats, int n, int c, int plane,
                                 boolean training) {
        Tensor xv = x.value();
        float[] xa = xv.data(), ga = dy.data(), st = stats.data();
        int xo = xv.offset(), go = dy.offset(), so = stats.offset();
        long count = (long) n * plane;
        // a first gradient of x is written, not added into zeros (the same bits: see VectorMath.affine2)
        Tensor fresh = x.requiresGrad() ? t.newGrad(x) : null;
        Tensor dx = fresh != null ? fresh : x.requiresGrad() ? t.gradOf(x) : null;
        Tensor dw = weight != null && weight.requiresGrad() ? t.gradOf(weight) : null;
        Tensor db = bias != null && bias.requiresGrad() ? t.gradOf(bias) : null;
        Parallel.parallelFor(c, 1, (s, e) -> {
            for (int ch = s; ch < e; ch++) {
                float mean = st[so + ch], inv = st[so + c + ch];
                double sumDy = 0, sumDyXc = 0;
                for (int b = 0; b < n; b++) {
                    int base = (b * c + ch) * plane;
                    sumDy += VectorMath.sum(ga, go + base, plane);
                    sumDyXc += VectorMath.dotCentered(ga, go + base, xa, xo + base, mean, plane);
                }
                double sumDyXhat = sumDyXc * inv;
                if (dw != null) {
                    dw.data()[dw.offset() + ch] += (float) sumDyXhat;
                }
                if (db != null) {
                    db.data()[db.offset() + ch] += (float) sumDy;
                }
                if (dx == null) {
                    continue;
                }
                float w = weight == null ? 1f : weight.value().data()[weight.value().offset() + ch];
                float k = w * inv;
                // training: dx += k (dy - mean(dy) - xhat mean(dy xhat)) = k dy + beta x + gamma
                float beta = training ? (float) (-k * inv * (sumDyXhat / count)) : 0f;
                float gamma = training ? (float) (-k * (sumDy / count) - beta * (double) mean) : 0f;
                float[] da = dx.data();
                for (int b = 0; b < n; b++) {
                    int base = (b * c + ch) * plane;
                    if (fresh != null) {
                        VectorMath.affine2(k, ga, go + base, beta, xa, xo + base, gamma, da, dx.offset() + base, plane);
                    } else {
                        VectorMath.addAffine2(k, ga, go + base, beta, xa, xo + base, gamma, da, dx.offset() + base, plane);
                    }
                }
            }
        });
    }
}
