package dev.lanes.nn;

import dev.lanes.nn.init.Init;
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
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A layer or a model: named parameters, buffers and child modules, with PyTorch's names
 * ({@code features.0.weight}, {@code layer1.0.bn1.running_mean}) and order, so a state dict
 * moves between Lanes and PyTorch unchanged.
 *
 * <p>A module holds no per-call state: everything a backward pass needs lives on the tape, so
 * one model can run inference on many threads at once (in eval mode; training mode updates
 * batch-norm statistics in place). Subclasses register what they own in their constructor
 * ({@link #addParameter}, {@link #addBuffer}, {@link #addModule}) and write
 * {@link #forward} as a composition of {@link F} ops, never a backward pass.
 */
public abstract class Module {
    private static final AtomicLong DEFAULT_SEEDS = new AtomicLong();

    private final LinkedHashMap<String, Var> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Tensor> buffers = new LinkedHashMap<>();
    private final LinkedHashMap<String, DType> bufferTypes = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** The module applied to one input. Modules with several inputs define their own methods. */
    public Var forward(Var x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " does not take a single input");
    }

    // ---- registration --------------------------------------------------------------------

    /** Registers a parameter (subject to weight decay) around {@code value}. */
    protected final Var addParameter(String name, Tensor value) {
        return addParameter(name, value, true);
    }

    /** Registers a parameter; {@code weightDecay = false} for biases and normalization parameters. */
    protected final Var addParameter(String name, Tensor value, boolean weightDecay) {
        checkName(name);
        Var p = Var.parameter(value).named(name);
        if (!weightDecay) {
            p.noWeightDecay();
        }
        params.put(name, p);
        return p;
    }

    /** Registers a state tensor that is saved but not trained (e.g. running statistics), stored as F32. */
    protected final Tensor addBuffer(String name, Tensor value) {
        return addBuffer(name, value, DType.F32);
    }

    /** Registers a buffer saved as {@code dtype} (F32, or I64 for counters). */
    protected final Tensor addBuffer(String name, Tensor value, DType dtype) {
        checkName(name);
        buffers.put(name, value);
        bufferTypes.put(name, dtype);
        return value;
    }

    protected final <M extends Module> M addModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a module entry name must be non-empty and without dots: '" + name + "'");
        }
        if (params.containsKey(name) || buffers.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has an entry named " + name);
        }
    }

    // ---- modes ---------------------------------------------------------------------------

    /** Sets training mode on this module and all below it; returns this. */
    public Module train(boolean on) {
        training = on;
        for (Module c : children.values()) {
            c.train(on);
        }
        return this;
    }

    public Module train() {
        return train(true);
    }

    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    // ---- introspection -------------------------------------------------------------------

    /** This module's direct children by name. */
    public Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** This module ("") and every module below it, depth first, by qualified name. */
    public Map<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String prefix, Map<String, Module> out) {
        out.put(prefix, this);
        for (Map.Entry<String, Module> c : children.entrySet()) {
            c.getValue().collectModules(prefix.isEmpty() ? c.getKey() : prefix + "." + c.getKey(), out);
        }
    }

    /** Every parameter by qualified name, in PyTorch's order. */
    public Map<String, Var> namedParameters() {
        LinkedHashMap<String, Var> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> m : namedModules().entrySet()) {
            String prefix = m.getKey().isEmpty() ? "" : m.getKey() + ".";
            m.getValue().params.forEach((k, v) -> out.put(prefix + k, v));
        }
        return out;
    }

    public List<Var> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every buffer by qualified name. */
    public Map<String, Tensor> namedBuffers() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> m : namedModules().entrySet()) {
            String prefix = m.getKey().isEmpty() ? "" : m.getKey() + ".";
            m.getValue().buffers.forEach((k, v) -> out.put(prefix + k, v));
        }
        return out;
    }

    /** This module's own parameters (not its children's). */
    public Map<String, Var> ownParameters() {
        return Collections.unmodifiableMap(params);
    }

    /** Number of trainable scalars in this module and below. */
    public long parameterCount() {
        long n = 0;
        for (Var p : namedParameters().values()) {
            n += p.size();
        }
        return n;
    }

    public void zeroGrad() {
        for (Var p : namedParameters().values()) {
            p.zeroGrad();
        }
    }

    // ---- state ---------------------------------------------------------------------------

    /**
     * Parameters and buffers by qualified name, in PyTorch's order (each module's parameters,
     * then its buffers, then its children). The tensors are shared, not copied.
     */
    public StateDict stateDict() {
        StateDict sd = new StateDict();
        collectState("", sd);
        return sd;
    }

    private void collectState(String prefix, StateDict sd) {
        params.forEach((k, v) -> sd.put(prefix + k, v.value(), DType.F32));
        buffers.forEach((k, v) -> sd.put(prefix + k, v, bufferTypes.get(k)));
        children.forEach((k, c) -> c.collectState(prefix + k + ".", sd));
    }

    /** Copies {@code sd} into this module's tensors; see {@link #loadStateDict(StateDict, String)}. */
    public void loadStateDict(StateDict sd) {
        loadStateDict(sd, "state dict");
    }

    /**
     * Copies every entry of {@code sd} into the tensor of the same name. Names, shapes and
     * types must match exactly; when they do not, nothing is copied and a
     * {@link StateDictMismatchException} lists every problem (missing, unexpected, shape, type),
     * with {@code source} (e.g. a file name) in its message.
     */
    public void loadStateDict(StateDict sd, String source) {
        StateDict mine = stateDict();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, StateDict.Entry> e : mine.entries().entrySet()) {
            String name = e.getKey();
            if (!sd.contains(name)) {
                problems.add("missing: " + name + " " + Shapes.toString(e.getValue().tensor().shape()));
                continue;
            }
            int[] want = e.getValue().tensor().shape(), got = sd.get(name).shape();
            if (!Arrays.equals(want, got)) {
                problems.add("shape of " + name + ": " + Shapes.toString(got) + " in " + source + ", "
                        + Shapes.toString(want) + " in the model");
            }
            if (sd.dtype(name) != e.getValue().dtype()) {
                problems.add("dtype of " + name + ": " + sd.dtype(name) + " in " + source + ", "
                        + e.getValue().dtype() + " in the model");
            }
        }
        for (String name : sd.names()) {
            if (!mine.contains(name)) {
                problems.add("unexpected: " + name + " " + Shapes.toString(sd.get(name).shape()));
            }
        }
        if (!problems.isEmpty()) {
            throw new StateDictMismatchException(source, problems);
        }
        for (Map.Entry<String, StateDict.Entry> e : mine.entries().entrySet()) {
            e.getValue().tensor().copyFrom(sd.get(e.getKey()));
        }
    }

    // ---- initialization ------------------------------------------------------------------

    /**
     * Re-initializes every module below (and including) this one from {@code seed}: each gets
     * a generator from (seed, its qualified name), so the same seed gives the same weights.
     * Returns this.
     */
    public Module initialize(long seed) {
        for (Map.Entry<String, Module> m : namedModules().entrySet()) {
            m.getValue().resetParameters(Init.random(seed, m.getKey()));
        }
        return this;
    }

    /** Draws this module's own parameters (not its children's) from {@code random}; layers override it. */
    protected void resetParameters(SplittableRandom random) {
    }

    /**
     * A generator for a layer's initial weights before {@link #initialize} is called: distinct
     * per construction, in construction order. Call {@code initialize(seed)} for reproducible weights.
     */
    protected static SplittableRandom constructionRandom() {
        return new SplittableRandom(Tape.mix(DEFAULT_SEEDS.incrementAndGet() * 0x9e3779b97f4a7c15L));
    }

    /** Leaf layers pass their output through this, so that {@link Summary} can see each layer. */
    protected final Var layerOutput(Var out) {
        Tape t = out.tape();
        if (t != null) {
            t.layerDone(this, out);
        }
        return out;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "()";
    }
}
