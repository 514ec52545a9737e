package dev.lanes.nn;

import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

/**
 * A value in a computation: a {@link Tensor} and, when it requires a gradient, the gradient's
 * tensor. Three kinds exist:
 * <ul>
 *   <li>parameters ({@link #parameter}): require a gradient, own a gradient tensor allocated
 *       once, belong to no tape, so one model can be used by many tapes and threads;</li>
 *   <li>constants ({@link #constant}): no gradient, no tape;</li>
 *   <li>tape values ({@link Tape#input} and the results of ops): carry the tape that made them,
 *       so the next op records on the same tape with no plumbing.</li>
 * </ul>
 * The value and gradient of a tape value live in arrays borrowed from a buffer pool: they are
 * valid until the tape is closed or reset. Copy out what must outlive it ({@link #item},
 * {@code value().copy()}).
 */
public final class Var {
    private final Tensor value;
    private final boolean requiresGrad;
    private final boolean parameter;
    private final Tape tape;
    private Tensor grad;
    /** Where the tape keeps this value's borrowed gradient array (see {@link Tape#gradOf}); -1 when it keeps none. */
    int gradSlot = -1;
    private String name;
    private boolean weightDecay = true;

    Var(Tensor value, boolean requiresGrad, boolean parameter, Tape tape) {
        this.value = value;
        this.requiresGrad = requiresGrad;
        this.parameter = parameter;
        this.tape = tape;
    }

    /** A trainable parameter around {@code value} (not copied), with a zeroed gradient of the same shape. */
    public static Var parameter(Tensor value) {
        Var v = new Var(value, true, true, null);
        v.grad = Tensor.zeros(value.shape());
        return v;
    }

    /** A value that needs no gradient and belongs to no tape (data, masks, fixed tensors). */
    public static Var constant(Tensor value) {
        return new Var(value, false, false, null);
    }

    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, or null when none has flowed here yet. */
    public Tensor grad() {
        return grad;
    }

    void setGrad(Tensor g) {
        grad = g;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public boolean isParameter() {
        return parameter;
    }

    /** The tape that made this value, or null for parameters, constants and untracked results. */
    public Tape tape() {
        return tape;
    }

    public int[] shape() {
        return value.shape();
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return value.dim(i);
    }

    public int rank() {
        return value.rank();
    }

    public int size() {
        return value.size();
    }

    /** The single element of a one-element value (a loss). */
    public float item() {
        if (value.size() != 1) {
            throw new IllegalStateException("item() needs a single element, the value has shape "
                    + Shapes.toString(value.shape()));
        }
        return value.at(0);
    }

    /** Sets the gradient of a parameter to zero (no-op when there is none). */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0f);
        }
    }

    /** Whether optimizers apply weight decay to this parameter (false for biases and batch-norm parameters). */
    public boolean weightDecay() {
        return weightDecay;
    }

    /** Excludes this parameter from weight decay; returns this. */
    public Var noWeightDecay() {
        weightDecay = false;
        return this;
    }

    public String name() {
        return name;
    }

    public Var named(String newName) {
        name = newName;
        return this;
    }

    /** The same value as a constant: no gradient flows back through it. */
    public Var detach() {
        return constant(value);
    }

    @Override
    public String toString() {
        return "Var" + (name == null ? "" : "(" + name + ")") + Shapes.toString(value.shape())
                + (requiresGrad ? " requiresGrad" : "");
    }
}
