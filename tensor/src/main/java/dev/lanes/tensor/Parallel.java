package dev.lanes.tensor;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The library's own ForkJoinPool (never the common pool). Its size comes from
 * {@code -Dlanes.threads}, else the {@code LANES_THREADS} environment variable, else the
 * number of available processors, and can be changed with {@link #setThreads}.
 *
 * <p>{@link #parallelFor} splits {@code [0, n)} into chunks of {@code grain} indices. A body
 * must compute each output from its index alone, so that results do not depend on how the
 * range was split or on the thread count (the determinism promise of DESIGN.md). Calls made
 * from inside a parallel region run inline on the calling thread: no nested parallelism,
 * no oversubscription.
 */
public final class Parallel {
    /** A piece of work over the index range {@code [start, end)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    private static final ThreadLocal<int[]> REGION_DEPTH = ThreadLocal.withInitial(() -> new int[1]);
    private static volatile ForkJoinPool pool;
    private static volatile int threads = configuredThreads();

    private Parallel() {
    }

    /** Number of threads parallel loops use (including the calling thread). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads; the old pool (if any) finishes its work and is shut down. */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("thread count must be >= 1, got " + n);
        }
        if (n == threads) {
            return;
        }
        ForkJoinPool old = pool;
        pool = null;
        threads = n;
        if (old != null) {
            old.shutdown();
        }
    }

    /** Shuts the pool down and waits for its workers; a later parallel call starts a new one. */
    public static synchronized void shutdown() {
        ForkJoinPool old = pool;
        pool = null;
        if (old != null) {
            old.shutdown();
        }
        // Workers of this pool and of pools replaced by setThreads: awaitTermination returns
        // when a pool's work is done, a moment before its threads have exited.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            if (old != null) {
                old.awaitTermination(10, TimeUnit.SECONDS);
            }
            for (Thread w : LanesWorker.STARTED) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                if (!w.isAlive()) {
                    LanesWorker.STARTED.remove(w);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True on a thread that is already running the body of a parallel loop. */
    public static boolean inParallelRegion() {
        return Thread.currentThread() instanceof LanesWorker || REGION_DEPTH.get()[0] > 0;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in chunks of at least {@code grain} indices on the
     * library's pool, the calling thread taking part. Returns when every chunk is done;
     * the first exception of any chunk is rethrown.
     */
    public static void parallelFor(int n, int grain, RangeBody body) {
        if (n <= 0) {
            return;
        }
        if (grain < 1) {
            throw new IllegalArgumentException("grain must be >= 1, got " + grain);
        }
        int chunks = (int) ((n + (long) grain - 1) / grain);
        int t = threads;
        if (t == 1 || chunks == 1 || inParallelRegion()) {
            body.run(0, n);
            return;
        }
        int tasks = Math.min(t, chunks);
        ChunkQueue queue = new ChunkQueue(n, grain, chunks, body);
        ForkJoinPool p = pool();
        ChunkTask[] helpers = new ChunkTask[tasks - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new ChunkTask(queue);
            p.execute(helpers[i]);
        }
        int[] depth = REGION_DEPTH.get();
        depth[0]++;
        try {
            queue.drain();
        } finally {
            depth[0]--;
            for (ChunkTask h : helpers) {
                h.join();
            }
        }
        // The original exception, not ForkJoin's re-created copy of it.
        Throwable failure = queue.failure.get();
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    // The calling thread takes part in every loop, so the pool needs one worker fewer.
                    p = new ForkJoinPool(Math.max(1, threads - 1), LanesWorker::new, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    static int configuredThreads() {
        String source = "-Dlanes.threads";
        String value = System.getProperty("lanes.threads");
        if (value == null || value.isBlank()) {
            source = "LANES_THREADS";
            value = System.getenv("LANES_THREADS");
        }
        if (value == null || value.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException(source + "=" + value + " is not a thread count (a whole number >= 1)");
    }

    private static final class ChunkQueue {
        final int n;
        final int grain;
        final int chunks;
        final RangeBody body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        ChunkQueue(int n, int grain, int chunks, RangeBody body) {
            this.n = n;
            this.grain = grain;
            this.chunks = chunks;
            this.body = body;
        }

        /** Runs chunks until none is left or one has failed; records the first failure. */
        void drain() {
            try {
                for (int c = next.getAndIncrement(); c < chunks && failure.get() == null; c = next.getAndIncrement()) {
                    int start = c * grain;
                    body.run(start, Math.min(n, start + grain));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    private static final class ChunkTask extends RecursiveAction {
        private final ChunkQueue queue;

        ChunkTask(ChunkQueue queue) {
            this.queue = queue;
        }

        @Override
        protected void compute() {
            queue.drain();
        }
    }

    private static final class LanesWorker extends ForkJoinWorkerThread {
        private static final AtomicInteger IDS = new AtomicInteger();
        /** Workers that may still be alive, so that {@link #shutdown} can wait for them. */
        static final Set<Thread> STARTED = ConcurrentHashMap.newKeySet();

        LanesWorker(ForkJoinPool pool) {
            super(pool);
            setName("lanes-worker-" + IDS.incrementAndGet());
            setDaemon(true);
            STARTED.removeIf(t -> t.getState() == Thread.State.TERMINATED);
            STARTED.add(this);
        }
    }
}
