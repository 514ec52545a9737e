package dev.lanes.nn;

import java.util.ArrayDeque;
import java.util.HashMap;

/**
 * Free arrays kept by exact length, so that a training step that asks for the same sizes as
 * the step before gets the same arrays back and allocates nothing large. Not thread-safe:
 * each thread has its own ({@link #forCurrentThread}), and a {@link Tape} takes from and
 * returns to the pool of the thread that opened it.
 *
 * <p>Arrays come back with stale contents; {@link #takeZeroed} clears them.
 */
public final class BufferPool {
    private static final ThreadLocal<BufferPool> PER_THREAD = ThreadLocal.withInitial(BufferPool::new);

    private final HashMap<Integer, ArrayDeque<float[]>> floats = new HashMap<>();
    private final HashMap<Integer, ArrayDeque<int[]>> ints = new HashMap<>();
    private long allocatedBytes;

    /** The pool of the calling thread. */
    public static BufferPool forCurrentThread() {
        return PER_THREAD.get();
    }

    /** An array of exactly {@code n} floats with unspecified contents. */
    public float[] take(int n) {
        ArrayDeque<float[]> q = floats.get(n);
        float[] a = q == null ? null : q.pollLast();
        if (a == null) {
            a = new float[n];
            allocatedBytes += 4L * n;
        }
        return a;
    }

    /** An array of exactly {@code n} zeros. */
    public float[] takeZeroed(int n) {
        float[] a = take(n);
        java.util.Arrays.fill(a, 0f);
        return a;
    }

    public int[] takeInts(int n) {
        ArrayDeque<int[]> q = ints.get(n);
        int[] a = q == null ? null : q.pollLast();
        if (a == null) {
            a = new int[n];
            allocatedBytes += 4L * n;
        }
        return a;
    }

    public void give(float[] a) {
        floats.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
    }

    public void give(int[] a) {
        ints.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
    }

    /** Bytes of arrays this pool has created so far (a steady-state step adds nothing). */
    public long allocatedBytes() {
        return allocatedBytes;
    }

    /** Drops every free array (e.g. after the batch size changed for good). */
    public void clear() {
        floats.clear();
        ints.clear();
    }
}
