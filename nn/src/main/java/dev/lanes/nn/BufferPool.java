package dev.lanes.nn;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;

/**
 * Free arrays kept by exact length, so that a training step that asks for the same sizes as
 * the step before gets the same arrays back and allocates nothing large. Not thread-safe:
 * each thread has its own ({@link #forCurrentThread}), and a {@link Tape} takes from and
 * returns to the pool of the thread that opened it.
 *
 * <p>Arrays come back with stale contents; {@link #takeZeroed} clears them.
 *
 * <p>A step is the life of an outermost tape on the pool (from its opening or
 * {@link Tape#reset} to its closing or next reset). At the end of a step the pool keeps, of
 * each length, at most as many free arrays as the step had borrowed at once: enough for the
 * same step again (a steady state allocates and drops nothing), what a fresh pool would have
 * made for it, and none of lengths the step did not ask for.
 * Those belong to another shape (the short last batch of an epoch, evaluation, another model)
 * and would otherwise stay reachable beside the arrays of the new shape, several times a
 * step's memory. So that the old and the new shape do not both stay held while the first step
 * of the new one runs, its first request for a length the pool has never seen already drops the
 * lengths not asked for so far. (A miss on a known length is not a new shape: dropping there made
 * one early miss cascade into re-allocating most of a step, 864 KB a step in TrainerTest.)
 */
public final class BufferPool {
    private static final ThreadLocal<BufferPool> PER_THREAD = ThreadLocal.withInitial(BufferPool::new);

    private final HashMap<Integer, Bucket<float[]>> floats = new HashMap<>();
    private final HashMap<Integer, Bucket<int[]>> ints = new HashMap<>();
    private long allocatedBytes;
    private int openTapes;
    private long step;
    private long droppedInStep = -1;

    /** The free arrays of one length and the last step that asked for that length. */
    private static final class Bucket<A> {
        final ArrayDeque<A> free = new ArrayDeque<>();
        long lastStep;
        /** Arrays of this length borrowed now, and the most borrowed at once in step {@code lastStep}. */
        int out, peakOut;

        void taken(long step) {
            if (lastStep != step) {
                lastStep = step;
                peakOut = out;
            }
            peakOut = Math.max(peakOut, ++out);
        }

        void given(A a) {
            free.addLast(a);
            out = Math.max(0, out - 1);
        }
    }

    /** The pool of the calling thread. */
    public static BufferPool forCurrentThread() {
        return PER_THREAD.get();
    }

    /** An array of exactly {@code n} floats with unspecified contents. */
    public float[] take(int n) {
        Bucket<float[]> b = floats.get(n);
        float[] a = b == null ? null : b.free.pollLast();
        if (a == null) {
            if (b == null) { // a length never seen: a new shape, whose first miss drops the old one
                dropStale();
            }
            a = new float[n];
            allocatedBytes += 4L * n;
            b = floats.computeIfAbsent(n, k -> new Bucket<>());
        }
        b.taken(step);
        return a;
    }

    /** An array of exactly {@code n} zeros. */
    public float[] takeZeroed(int n) {
        float[] a = take(n);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    public int[] takeInts(int n) {
        Bucket<int[]> b = ints.get(n);
        int[] a = b == null ? null : b.free.pollLast();
        if (a == null) {
            if (b == null) { // a length never seen: a new shape, whose first miss drops the old one
                dropStale();
            }
            a = new int[n];
            allocatedBytes += 4L * n;
            b = ints.computeIfAbsent(n, k -> new Bucket<>());
        }
        b.taken(step);
        return a;
    }

    public void give(float[] a) {
        floats.computeIfAbsent(a.length, k -> new Bucket<>()).given(a);
    }

    public void give(int[] a) {
        ints.computeIfAbsent(a.length, k -> new Bucket<>()).given(a);
    }

    /** Bytes of arrays this pool has created so far (a steady-state step adds nothing). */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /** Bytes of the free arrays the pool holds now. */
    public long freeBytes() {
        long bytes = 0;
        for (Bucket<float[]> b : floats.values()) {
            bytes += 4L * b.free.size() * (b.free.isEmpty() ? 0 : b.free.peekLast().length);
        }
        for (Bucket<int[]> b : ints.values()) {
            bytes += 4L * b.free.size() * (b.free.isEmpty() ? 0 : b.free.peekLast().length);
        }
        return bytes;
    }

    /** Drops every free array (e.g. after the batch size changed for good). */
    public void clear() {
        floats.clear();
        ints.clear();
    }

    // ---- steps, told by the tapes on this pool ----------------------------------------------

    void opened() {
        if (openTapes++ == 0) {
            step++;
        }
    }

    /** A tape on this pool was reset (its arrays given back): a new step when it is the only one open. */
    void reset() {
        if (openTapes == 1) {
            endStep();
            step++;
        }
    }

    /** A tape on this pool was closed, its arrays given back. */
    void closed() {
        if (openTapes > 0 && --openTapes == 0) {
            endStep();
        }
    }

    private void endStep() {
        trim(floats);
        trim(ints);
    }

    /** Keeps of each length at most as many free arrays as this step borrowed at once, none of lengths it did not take. */
    private <A> void trim(HashMap<Integer, Bucket<A>> buckets) {
        for (Iterator<Bucket<A>> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket<A> b = it.next();
            if (b.lastStep != step) {
                it.remove();
                continue;
            }
            while (b.free.size() > b.peakOut) {
                b.free.pollFirst();
            }
        }
    }

    /** Once a step: forgets the free arrays of lengths this step has not asked for (yet). */
    private void dropStale() {
        if (droppedInStep == step) {
            return;
        }
        droppedInStep = step;
        dropStale(floats);
        dropStale(ints);
    }

    private <A> void dropStale(HashMap<Integer, Bucket<A>> buckets) {
        for (Iterator<Bucket<A>> it = buckets.values().iterator(); it.hasNext(); ) {
            Bucket<A> b = it.next();
            if (b.lastStep != step) {
                it.remove();
            }
        }
    }
}
