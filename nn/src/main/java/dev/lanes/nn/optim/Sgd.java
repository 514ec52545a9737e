package dev.lanes.nn.optim;

import dev.lanes.nn.Var;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;

import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with PyTorch's semantics: weight decay added to the gradient,
 * momentum buffer {@code b = momentum * b + (1 - dampening) * g} (the gradient itself on the
 * first step), Nesterov's variant {@code g + momentum * b}.
 */
public class Sgd extends Optimizer {
    private double momentum;
    private double dampening;
    private double weightDecay;
    private boolean nesterov;

    public Sgd(Map<String, Var> namedParameters, double lr) {
        super(namedParameters, lr);
    }

    public Sgd momentum(double m) {
        momentum = m;
        return this;
    }

    public Sgd dampening(double d) {
        dampening = d;
        return this;
    }

    public Sgd weightDecay(double wd) {
        weightDecay = wd;
        return this;
    }

    public Sgd nesterov(boolean on) {
        nesterov = on;
        return this;
    }

    @Override
    protected List<String> stateKinds() {
        return momentum != 0 ? List.of("momentum_buffer") : List.of();
    }

    @Override
    protected void update(String name, Var p, boolean first) {
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalStateException("Nesterov momentum needs momentum > 0 and no dampening");
        }
        Tensor w = p.value(), g = p.grad();
        Tensor buf = momentum != 0 ? stateFor("momentum_buffer", name) : null;
        float wd = p.weightDecay() ? (float) weightDecay : 0f;
        VectorMath.sgdStep(w.data(), w.offset(), g.data(), g.offset(), buf == null ? null : buf.data(),
                buf == null ? 0 : buf.offset(), w.size(), (float) lr, (float) momentum, (float) dampening, wd, nesterov, first);
    }
}
