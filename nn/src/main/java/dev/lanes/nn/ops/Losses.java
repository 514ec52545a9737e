package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

/** Loss functions; each returns a one-element value of shape {@code [1]}. */
public final class Losses {
    private Losses() {
    }

    /** How per-element losses combine. */
    public enum Reduction { MEAN, SUM }

    /**
     * Softmax cross-entropy of logits {@code [N, C]} against class indices, averaged over the
     * batch, fused so that it is stable for any logits. With label smoothing {@code eps} the
     * target is {@code (1 - eps) * onehot + eps / C} (PyTorch's {@code label_smoothing}).
     */
    public static Var crossEntropy(Var logits, int[] labels, float labelSmoothing) {
        Tape t = Tape.of(logits);
        Tensor lv = logits.value();
        if (lv.rank() != 2 || labels.length != lv.dim(0)) {
            throw new IllegalArgumentException("crossEntropy: logits " + Shapes.toString(lv.shape()) + " need shape [N, C] with N = "
                    + labels.length + " labels");
        }
        if (labelSmoothing < 0f || labelSmoothing > 1f) {
            throw new IllegalArgumentException("crossEntropy: label smoothing " + labelSmoothing + " is outside [0, 1]");
        }
        int n = lv.dim(0), c = lv.dim(1);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= c) {
                throw new IllegalArgumentException("crossEntropy: label " + labels[i] + " of sample " + i
                        + " is outside [0, " + c + ")");
            }
        }
        int[] target = labels.clone();
        Tensor prob = t.alloc(n, c);
        float[] xa = lv.data(), pa = prob.data();
        int xo = lv.offset(), po = prob.offset();
        double off = labelSmoothing / c, on = 1.0 - labelSmoothing + off;
        double total = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, xa[xo + row + j]);
            }
            double sum = 0;
            for (int j = 0; j < c; j++) {
                sum += Math.exp(xa[xo + row + j] - max);
            }
            double lse = max + Math.log(sum);
            double loss = 0;
            for (int j = 0; j < c; j++) {
                double logp = xa[xo + row + j] - lse;
                pa[po + row + j] = (float) Math.exp(logp);
                loss -= (j == target[i] ? on : off) * logp;
            }
            total += loss;
        }
        Tensor y = t.alloc(1);
        y.data()[y.offset()] = (float) (total / n);
        Var out = t.output("crossEntropy", y, t.needsGrad(logits));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(logits);
                float g = dy.data()[dy.offset()] / n;
                float[] da = dx.data();
                int dOff = dx.offset();
                for (int i = 0; i < n; i++) {
                    int row = i * c;
                    for (int j = 0; j < c; j++) {
                        double q = j == target[i] ? on : off;
                        da[dOff + row + j] += (float) (g * (pa[po + row + j] - q));
                    }
                }
            });
        }
        return out;
    }

    /** Squared error between two values of the same shape, averaged (MEAN) or summed (SUM). */
    public static Var mse(Var pred, Var target, Reduction reduction) {
        Tape t = Tape.of(pred, target);
        Tensor pv = pred.value(), tv = target.value();
        Shapes.requireSame("mse: prediction vs target", pv.shape(), tv.shape());
        int n = pv.size();
        float[] pa = pv.data(), ta = tv.data();
        int po = pv.offset(), to = tv.offset();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = pa[po + i] - ta[to + i];
            sum += d * d;
        }
        float scale = reduction == Reduction.MEAN ? 1f / n : 1f;
        Tensor y = t.alloc(1);
        y.data()[y.offset()] = (float) (sum * scale);
        Var out = t.output("mse", y, t.needsGrad(pred, target));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                float g = 2f * scale * dy.data()[dy.offset()];
                Tensor dp = pred.requiresGrad() ? t.gradOf(pred) : null;
                Tensor dt = target.requiresGrad() ? t.gradOf(target) : null;
                for (int i = 0; i < n; i++) {
                    float d = g * (pa[po + i] - ta[to + i]);
                    if (dp != null) {
                        dp.data()[dp.offset() + i] += d;
                    }
                    if (dt != null) {
                        dt.data()[dt.offset() + i] -= d;
                    }
                }
            });
        }
        return out;
    }

    /**
     * The capsule margin loss (Sabour et al. 2017, eq. 4) on capsule lengths {@code [N, K]}:
     * {@code sum_k T_k max(0, m+ - |v_k|)^2 + lambda (1 - T_k) max(0, |v_k| - m-)^2}, summed over
     * classes and averaged over the batch.
     */
    public static Var marginLoss(Var lengths, int[] labels, float mPlus, float mMinus, float lambda) {
        Tape t = Tape.of(lengths);
        Tensor lv = lengths.value();
        if (lv.rank() != 2 || labels.length != lv.dim(0)) {
            throw new IllegalArgumentException("marginLoss: lengths " + Shapes.toString(lv.shape())
                    + " need shape [N, K] with N = " + labels.length + " labels");
        }
        int n = lv.dim(0), k = lv.dim(1);
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= k) {
                throw new IllegalArgumentException("marginLoss: label " + labels[i] + " of sample " + i
                        + " is outside [0, " + k + ")");
            }
        }
        int[] target = labels.clone();
        float[] la = lv.data();
        int lo = lv.offset();
        double total = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                float v = la[lo + i * k + j];
                if (j == target[i]) {
                    double m = Math.max(0f, mPlus - v);
                    total += m * m;
                } else {
                    double m = Math.max(0f, v - mMinus);
                    total += lambda * m * m;
                }
            }
        }
        Tensor y = t.alloc(1);
        y.data()[y.offset()] = (float) (total / n);
        Var out = t.output("marginLoss", y, t.needsGrad(lengths));
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dl = t.gradOf(lengths);
                float g = dy.data()[dy.offset()] / n;
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < k; j++) {
                        float v = la[lo + i * k + j];
                        float d = j == target[i] ? -2f * Math.max(0f, mPlus - v) : 2f * lambda * Math.max(0f, v - mMinus);
                        dl.data()[dl.offset() + i * k + j] += g * d;
                    }
                }
            });
        }
        return out;
    }
}
