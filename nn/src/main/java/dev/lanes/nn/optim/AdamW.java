package dev.lanes.nn.optim;

import dev.lanes.nn.Var;

import java.util.Map;

/** Adam with decoupled weight decay {@code p *= 1 - lr * wd} (PyTorch's default wd 0.01). */
public class AdamW extends Adam {
    public AdamW(Map<String, Var> namedParameters, double lr) {
        super(namedParameters, lr);
        weightDecay(0.01);
    }

    @Override
    protected boolean decoupled() {
        return true;
    }
}
