package dev.lanes.nn.optim;

import dev.lanes.nn.Var;
import dev.lanes.nn.io.DType;
import dev.lanes.nn.io.StateDict;
import dev.lanes.nn.io.StateDictMismatchException;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Updates named parameters from their gradients. Weight decay applies to the parameters whose
 * {@link Var#weightDecay()} is true (layers exempt biases and normalization parameters). The
 * state (step count, per-parameter buffers named {@code <kind>.<parameter>}) is exported and
 * imported as a {@link StateDict}, so a trainer can checkpoint it with the weights.
 */
public abstract class Optimizer {
    private final LinkedHashMap<String, Var> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
    protected double lr;
    private long steps;

    protected Optimizer(Map<String, Var> namedParameters, double lr) {
        namedParameters.forEach((k, v) -> {
            if (v.requiresGrad()) {
                params.put(k, v);
            }
        });
        if (params.isEmpty()) {
            throw new IllegalArgumentException("the optimizer got no parameters that require a gradient");
        }
        setLr(lr);
    }

    /** Registers a per-parameter state tensor (zeros, shaped like the parameter) called {@code kind.name}. */
    protected final Tensor stateFor(String kind, String name) {
        return state.computeIfAbsent(kind + "." + name, k -> Tensor.zeros(params.get(name).shape()));
    }

    /** Applies one update to every parameter. */
    public final void step() {
        boolean first = steps == 0;
        steps++;
        for (Map.Entry<String, Var> e : params.entrySet()) {
            Var p = e.getValue();
            if (p.grad() == null) {
                continue;
            }
            update(e.getKey(), p, first);
        }
    }

    /** One update of {@code p}; {@link #steps()} already counts this step. */
    protected abstract void update(String name, Var p, boolean first);

    /** The kinds of per-parameter state this optimizer keeps with its current settings (e.g. {@code exp_avg}). */
    protected abstract List<String> stateKinds();

    private void ensureState() {
        for (String kind : stateKinds()) {
            for (String name : params.keySet()) {
                stateFor(kind, name);
            }
        }
    }

    public void zeroGrad() {
        for (Var p : params.values()) {
            p.zeroGrad();
        }
    }

    public double lr() {
        return lr;
    }

    public Optimizer setLr(double newLr) {
        if (!(newLr >= 0) || Double.isInfinite(newLr)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + newLr);
        }
        lr = newLr;
        return this;
    }

    /** Steps taken so far. */
    public long steps() {
        return steps;
    }

    public Map<String, Var> parameters() {
        return Collections.unmodifiableMap(params);
    }

    /** The state: {@code step} (I64) and every buffer. Tensors are copies. */
    public StateDict stateDict() {
        ensureState();
        StateDict sd = new StateDict();
        sd.put("step", Tensor.of(new float[] {steps}), DType.I64);
        state.forEach((k, v) -> sd.put(k, v.copy()));
        return sd;
    }

    /** Restores a state from {@link #stateDict}; every mismatch is reported at once and nothing is changed then. */
    public void loadStateDict(StateDict sd) {
        ensureState();
        List<String> problems = new ArrayList<>();
        if (!sd.contains("step") || sd.get("step").size() != 1) {
            problems.add("missing: step");
        }
        for (Map.Entry<String, Tensor> e : state.entrySet()) {
            Tensor t = sd.get(e.getKey());
            if (t == null) {
                problems.add("missing: " + e.getKey());
            } else if (!Arrays.equals(t.shape(), e.getValue().shape())) {
                problems.add("shape of " + e.getKey() + ": " + Shapes.toString(t.shape()) + " in the state, "
                        + Shapes.toString(e.getValue().shape()) + " in the optimizer");
            }
        }
        for (String k : sd.names()) {
            if (!k.equals("step") && !state.containsKey(k)) {
                problems.add("unexpected: " + k);
            }
        }
        if (!problems.isEmpty()) {
            throw new StateDictMismatchException("optimizer state", problems);
        }
        steps = (long) sd.get("step").at(0);
        state.forEach((k, v) -> v.copyFrom(sd.get(k)));
    }
}
