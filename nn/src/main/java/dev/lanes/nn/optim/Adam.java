package dev.lanes.nn.optim;

import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;

import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma and Ba 2015) with PyTorch's semantics; weight decay is L2 added to the
 * gradient. {@link AdamW} decouples it (Loshchilov and Hutter 2019).
 */
public class Adam extends Optimizer {
    private double beta1 = 0.9;
    private double beta2 = 0.999;
    private double eps = 1e-8;
    protected double weightDecay;

    public Adam(Map<String, Var> namedParameters, double lr) {
        super(namedParameters, lr);
    }

    public Adam betas(double b1, double b2) {
        beta1 = b1;
        beta2 = b2;
        return this;
    }

    public Adam eps(double e) {
        eps = e;
        return this;
    }

    public Adam weightDecay(double wd) {
        weightDecay = wd;
        return this;
    }

    /** True for AdamW. */
    protected boolean decoupled() {
        return false;
    }

    @Override
    protected List<String> stateKinds() {
        return List.of("exp_avg", "exp_avg_sq");
    }

    @Override
    protected void update(String name, Var p, boolean first) {
        Tensor w = p.value(), g = p.grad();
        Tensor m = stateFor("exp_avg", name), v = stateFor("exp_avg_sq", name);
        long t = steps();
        float bc1 = (float) (1 - Math.pow(beta1, t));
        float sqrtBc2 = (float) Math.sqrt(1 - Math.pow(beta2, t));
        float wd = p.weightDecay() ? (float) weightDecay : 0f;
        VectorMath.adamStep(w.data(), w.offset(), g.data(), g.offset(), m.data(), m.offset(), v.data(), v.offset(),
                w.size(), (float) lr, (float) beta1, (float) (1 - beta1), (float) beta2, (float) (1 - beta2), (float) eps, wd,
                decoupled(), bc1, sqrtBc2);
    }
}
