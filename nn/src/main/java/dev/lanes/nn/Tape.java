package dev.lanes.nn;

import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;
import dev.lanes.tensor.VectorMath;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The autograd tape. While it records, every op whose inputs need a gradient appends a node
 * (its output and a backward closure); {@link #backward} walks the nodes in reverse and adds
 * each output's gradient into its inputs' gradients, so a value used twice (a residual or
 * dense connection) receives the sum.
 *
 * <pre>{@code
 * try (Tape tape = Tape.recording()) {
 *     Var loss = F.crossEntropy(model.forward(tape.input(images)), labels);
 *     tape.backward(loss);
 *     float l = loss.item();
 * }
 * optimizer.step();
 * }</pre>
 *
 * Ops find the tape through their inputs ({@link Var#tape}); parameters and constants carry
 * none, and an op whose inputs carry none uses the innermost tape open on the calling thread
 * ({@link #current}), else runs untracked (plain allocation, nothing recorded). Outputs and
 * temporaries are borrowed from a {@link BufferPool} and returned on {@link #close} or
 * {@link #reset}, so a steady-state step allocates no large arrays; whatever must outlive the
 * tape has to be copied out first.
 *
 * <p>A tape belongs to the thread that opened it. Two threads with two tapes share nothing
 * (each has its own pool), so one model can serve inference on many threads at once, and two
 * models can train side by side. Modules keep no per-call state: whatever a backward pass
 * needs lives in the closures of this tape.
 *
 * <p>{@link #inference} tapes record nothing but still pool their buffers.
 */
public final class Tape implements AutoCloseable {
    /** The backward step of one op: adds the op's input gradients given its output gradient. */
    @FunctionalInterface
    public interface Backward {
        void run(Tensor gradOut);
    }

    /** Told about every layer output while attached (used by {@link Summary}). */
    interface LayerListener {
        void layer(Module module, Var output, long flops);
    }

    private enum Mode { UNTRACKED, INFERENCE, RECORDING }

    private static final Tape UNTRACKED = new Tape(Mode.UNTRACKED, null, 0L);
    private static final ThreadLocal<ArrayDeque<Tape>> OPEN = ThreadLocal.withInitial(ArrayDeque::new);
    private static final AtomicLong DEFAULT_SEEDS = new AtomicLong(0x5eedL);

    private final Mode mode;
    private final BufferPool pool;
    private final long seed;
    private final ArrayList<float[]> borrowed = new ArrayList<>();
    private final ArrayList<int[]> borrowedInts = new ArrayList<>();
    private Var[] outs = new Var[64];
    private Backward[] fns = new Backward[64];
    private String[] opNames = new String[64];
    private int nodes;
    private long streams;
    private boolean backwardDone;
    private boolean closed;
    private String lastOp = "?";
    private long flops;
    private long flopsAtLastLayer;
    private LayerListener listener;
    private OpProfile profile;
    private long profileMark;

    private Tape(Mode mode, BufferPool pool, long seed) {
        this.mode = mode;
        this.pool = pool;
        this.seed = seed;
    }

    // ---- opening -------------------------------------------------------------------------

    /** A recording tape on this thread's pool, with a fresh seed for its random ops (dropout). */
    public static Tape recording() {
        return recording(mix(DEFAULT_SEEDS.incrementAndGet()));
    }

    /**
     * A recording tape whose random ops draw from {@code seed}: the same seed gives the same
     * dropout masks. A trainer passes a seed derived from (run seed, epoch, step) so that a
     * resumed run repeats the masks of an uninterrupted one.
     */
    public static Tape recording(long seed) {
        return recording(BufferPool.forCurrentThread(), seed);
    }

    /** A recording tape that borrows from {@code pool} (which must not be used by another thread meanwhile). */
    public static Tape recording(BufferPool pool, long seed) {
        return open(new Tape(Mode.RECORDING, pool, seed));
    }

    /** A tape that records nothing (inference, evaluation) and pools its buffers. */
    public static Tape inference() {
        return open(new Tape(Mode.INFERENCE, BufferPool.forCurrentThread(), mix(DEFAULT_SEEDS.incrementAndGet())));
    }

    private static Tape open(Tape t) {
        t.pool.opened();
        OPEN.get().push(t);
        return t;
    }

    /** The innermost open tape of the calling thread, or null. */
    public static Tape current() {
        ArrayDeque<Tape> open = OPEN.get();
        while (!open.isEmpty() && open.peek().closed) {
            open.pop();
        }
        return open.peek();
    }

    public boolean isRecording() {
        return mode == Mode.RECORDING && !closed;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The seed random ops on this tape draw from. */
    public long seed() {
        return seed;
    }

    /** Wraps data (not copied) as a value of this tape that needs no gradient. */
    public Var input(Tensor value) {
        return input(value, false);
    }

    /** Wraps data as a value of this tape; with {@code requiresGrad} its gradient is kept after {@link #backward}. */
    public Var input(Tensor value, boolean requiresGrad) {
        checkOpen();
        return new Var(value, requiresGrad && mode == Mode.RECORDING, false, this);
    }

    // ---- backward ------------------------------------------------------------------------

    /** Back-propagates from a one-element loss (its gradient is 1). */
    public void backward(Var loss) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("backward(loss) needs a one-element loss, got shape "
                    + Shapes.toString(loss.shape()) + "; use backward(out, gradOut) for others");
        }
        backward(loss, Tensor.full(1f, loss.shape()));
    }

    /** Back-propagates {@code gradOut} (the gradient of some scalar with respect to {@code out}). */
    public void backward(Var out, Tensor gradOut) {
        checkOpen();
        if (mode != Mode.RECORDING) {
            throw new IllegalStateException("backward on an inference tape: open it with Tape.recording()");
        }
        if (out.tape() != this) {
            throw new IllegalArgumentException("backward: " + out + " was not computed on this tape");
        }
        if (!out.requiresGrad()) {
            throw new IllegalArgumentException("backward: " + out + " does not depend on anything that requires a gradient");
        }
        if (backwardDone) {
            throw new IllegalStateException("backward already ran on this tape; add the losses first, or reset() it");
        }
        Shapes.requireSame("backward: gradient vs output", out.shape(), gradOut.shape());
        backwardDone = true;
        Tensor g = gradOf(out);
        VectorMath.add(g.data(), g.offset(), gradOut.data(), gradOut.offset(), g.data(), g.offset(), g.size());
        for (int i = nodes - 1; i >= 0; i--) {
            Tensor go = outs[i].grad();
            if (go == null) {
                continue;
            }
            if (profile == null) {
                fns[i].run(go);
            } else {
                long t0 = System.nanoTime();
                fns[i].run(go);
                profile.addBackward(opNames[i], System.nanoTime() - t0);
            }
            releaseGrad(outs[i]);
        }
    }

    /**
     * Gives the gradient of node {@code v}'s output back to the pool once the node's backward
     * step has run: every op that read it ran before (the walk is in reverse), so later
     * gradients of the same size reuse the array and the backward pass holds only the gradients
     * still in flight, not one per recorded op (as PyTorch frees non-leaf gradients). Values the
     * caller wrapped with {@link #input(Tensor, boolean)} are no node outputs and keep theirs.
     */
    private void releaseGrad(Var v) {
        int slot = v.gradSlot;
        if (slot < 0) {
            return;
        }
        v.gradSlot = -1;
        v.setGrad(null);
        pool.give(borrowed.set(slot, null));
    }

    // ---- lifetime ------------------------------------------------------------------------

    /** Returns every borrowed buffer to the pool and forgets the recorded ops; the tape stays open. */
    public void reset() {
        giveBack();
        if (pool != null) {
            pool.reset();
        }
    }

    private void giveBack() {
        for (float[] a : borrowed) {
            if (a != null) {
                pool.give(a);
            }
        }
        for (int[] a : borrowedInts) {
            pool.give(a);
        }
        borrowed.clear();
        borrowedInts.clear();
        Arrays.fill(outs, 0, nodes, null);
        Arrays.fill(fns, 0, nodes, null);
        nodes = 0;
        backwardDone = false;
        flops = 0;
        flopsAtLastLayer = 0;
        profileMark = System.nanoTime();
    }

    /** Returns the buffers to the pool; every value of this tape becomes invalid. */
    @Override
    public void close() {
        if (closed || mode == Mode.UNTRACKED) {
            return;
        }
        giveBack();
        closed = true;
        pool.closed();
        OPEN.get().remove(this);
    }

    // ---- for op implementations ----------------------------------------------------------

    /**
     * The tape an op on these inputs runs on: the tape of the first input that has one (all
     * inputs with a tape must share it), else {@link #current()}, else an untracked tape that
     * allocates plainly and records nothing.
     */
    public static Tape of(Var... inputs) {
        Tape found = null;
        for (Var v : inputs) {
            found = pick(found, v);
        }
        return resolve(found);
    }

    public static Tape of(Var a) {
        return resolve(pick(null, a));
    }

    public static Tape of(Var a, Var b) {
        return resolve(pick(pick(null, a), b));
    }

    private static Tape pick(Tape found, Var v) {
        if (v == null || v.tape() == null) {
            return found;
        }
        if (found != null && found != v.tape()) {
            throw new IllegalArgumentException("an op got inputs from two different tapes");
        }
        return v.tape();
    }

    private static Tape resolve(Tape found) {
        if (found == null) {
            found = current();
        }
        if (found == null) {
            return UNTRACKED;
        }
        found.checkOpen();
        return found;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("this tape is closed: its values were recycled; "
                    + "copy values out before closing the tape");
        }
    }

    /** A tensor of the given shape with unspecified contents, valid until the tape is closed or reset. */
    public Tensor alloc(int... shape) {
        int n = Shapes.size(shape);
        if (mode == Mode.UNTRACKED) {
            return Tensor.zeros(shape);
        }
        float[] a = pool.take(n);
        borrowed.add(a);
        return Tensor.wrap(a, shape);
    }

    /** A zero-filled tensor, valid until the tape is closed or reset. */
    public Tensor allocZeroed(int... shape) {
        Tensor t = alloc(shape);
        if (mode != Mode.UNTRACKED) {
            t.fill(0f);
        }
        return t;
    }

    /** An int array with unspecified contents (e.g. max-pooling indices), valid until the tape is closed or reset. */
    public int[] allocInts(int n) {
        if (mode == Mode.UNTRACKED) {
            return new int[n];
        }
        int[] a = pool.takeInts(n);
        borrowedInts.add(a);
        return a;
    }

    /** True when an op on these inputs must record a backward node. */
    public boolean needsGrad(Var a) {
        return mode == Mode.RECORDING && a.requiresGrad();
    }

    public boolean needsGrad(Var a, Var b) {
        return mode == Mode.RECORDING && (a.requiresGrad() || b != null && b.requiresGrad());
    }

    public boolean needsGrad(Var... inputs) {
        if (mode != Mode.RECORDING) {
            return false;
        }
        for (Var v : inputs) {
            if (v != null && v.requiresGrad()) {
                return true;
            }
        }
        return false;
    }

    /** Wraps an op's result; it requires a gradient when {@code requiresGrad} (see {@link #needsGrad}). */
    public Var output(String op, Tensor value, boolean requiresGrad) {
        if (mode == Mode.UNTRACKED) {
            return new Var(value, false, false, null);
        }
        lastOp = op;
        if (profile != null) {
            long now = System.nanoTime();
            profile.addForward(op, now - profileMark);
            profileMark = now;
        }
        return new Var(value, requiresGrad && mode == Mode.RECORDING, false, this);
    }

    /** Records the backward step of the op that produced {@code out} (call right after {@link #output}). */
    public void record(Var out, Backward fn) {
        if (!out.requiresGrad() || out.tape() != this) {
            throw new IllegalStateException("record: " + out + " is not a recording result of this tape");
        }
        if (nodes == outs.length) {
            int n = nodes * 2;
            outs = Arrays.copyOf(outs, n);
            fns = Arrays.copyOf(fns, n);
            opNames = Arrays.copyOf(opNames, n);
        }
        outs[nodes] = out;
        fns[nodes] = fn;
        opNames[nodes] = lastOp;
        nodes++;
    }

    /** The tensor to add {@code v}'s gradient into; a zeroed one is borrowed on first use. */
    public Tensor gradOf(Var v) {
        Tensor g = v.grad();
        if (g == null) {
            if (v.isParameter()) {
                throw new IllegalStateException(v + " is a parameter without a gradient tensor");
            }
            g = allocZeroed(v.shape());
            v.setGrad(g);
            if (mode != Mode.UNTRACKED) {
                v.gradSlot = borrowed.size() - 1;
            }
        }
        return g;
    }

    /**
     * {@code v}'s gradient tensor when {@code v} has none yet, borrowed with unspecified contents,
     * else null. An op's backward whose input gets its first gradient overwrites every element of
     * it instead of adding into the zeros of {@link #gradOf}: one write instead of a zeroing pass,
     * a read and a write. When this returns null, add into {@link #gradOf} as usual.
     */
    public Tensor newGrad(Var v) {
        if (v.grad() != null || v.isParameter()) {
            return null;
        }
        Tensor g = alloc(v.shape());
        v.setGrad(g);
        if (mode != Mode.UNTRACKED) {
            v.gradSlot = borrowed.size() - 1;
        }
        return g;
    }

    /** Number of recorded ops. */
    public int size() {
        return nodes;
    }

    /** A fresh 64-bit stream id for a random op (each call differs; the sequence depends only on the seed). */
    public long nextRandomStream() {
        if (mode == Mode.UNTRACKED) {
            return mix(DEFAULT_SEEDS.incrementAndGet());
        }
        return mix(seed ^ mix(++streams));
    }

    /** Counts floating-point operations done by the op being run (for {@link Summary}). */
    public void addFlops(long n) {
        if (mode != Mode.UNTRACKED) {
            flops += n;
        }
    }

    /** Floating-point operations counted since the tape was opened or reset. */
    public long flops() {
        return flops;
    }

    /** Adds the time of each op (forward and backward) to {@code p} from now on; null stops it. */
    public Tape profile(OpProfile p) {
        profile = p;
        profileMark = System.nanoTime();
        return this;
    }

    void listen(LayerListener l) {
        listener = l;
        flopsAtLastLayer = flops;
    }

    void layerDone(Module module, Var out) {
        if (listener != null) {
            listener.layer(module, out, flops - flopsAtLastLayer);
            flopsAtLastLayer = flops;
        }
    }

    /** SplitMix64's finalizer: spreads nearby integers over 64 bits. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
