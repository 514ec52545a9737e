package dev.lanes.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.lanes.tensor.conv.Conv2d;
import dev.lanes.tensor.conv.ConvShape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

class ParallelTest {
    private final int saved = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    @Test
    void everyIndexIsVisitedExactlyOnce() {
        Parallel.setThreads(4);
        int n = 10_007;
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.parallelFor(n, 13, (s, e) -> {
            for (int i = s; i < e; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(1, hits.get(i), "index " + i);
        }
    }

    @Test
    void usesTheLibraryPoolNotTheCommonPool() {
        Parallel.setThreads(3);
        Set<String> names = ConcurrentHashMap.newKeySet();
        String caller = Thread.currentThread().getName();
        Parallel.parallelFor(64, 1, (s, e) -> {
            names.add(Thread.currentThread().getName());
            busy();
        });
        for (String name : names) {
            assertTrue(name.equals(caller) || name.startsWith("lanes-worker-"), name);
            assertFalse(name.contains("commonPool"), name);
        }
    }

    @Test
    void nestedLoopsRunInlineWithoutDeadlock() {
        Parallel.setThreads(2);
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.parallelFor(10, 1, (s, e) -> {
            for (int i = s; i < e; i++) {
                int row = i;
                assertTrue(Parallel.inParallelRegion());
                Parallel.parallelFor(10, 1, (s2, e2) -> {
                    for (int j = s2; j < e2; j++) {
                        hits.incrementAndGet(row * 10 + j);
                    }
                });
            }
        });
        for (int i = 0; i < 100; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    @Test
    void callingFromAUsersForkJoinPoolDoesNotDeadlock() throws Exception {
        Parallel.setThreads(2);
        ForkJoinPool user = new ForkJoinPool(2);
        try {
            long sum = user.submit(() -> {
                long[] partial = new long[8];
                Parallel.parallelFor(8, 1, (s, e) -> {
                    for (int i = s; i < e; i++) {
                        partial[i] = i;
                    }
                });
                long total = 0;
                for (long p : partial) {
                    total += p;
                }
                return total;
            }).get();
            assertEquals(28, sum);
        } finally {
            user.shutdown();
        }
    }

    /** GEMM and convolution (forward and both backward passes) on shapes big enough to be split; all outputs concatenated. */
    private static float[] kernels(float[] a, float[] b, ConvShape s, float[] x, float[] w, float[] dy) {
        int m = 97, n = 131, k = 75;
        float[] c = new float[m * n];
        Gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
        float[] y = new float[s.n() * s.cOut() * s.outH() * s.outW()];
        Conv2d.forward(s, x, 0, w, 0, null, 0, y, 0);
        float[] dx = new float[x.length];
        Conv2d.backwardData(s, dy, 0, w, 0, dx, 0);
        float[] dw = new float[w.length];
        float[] db = new float[s.cOut()];
        Conv2d.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0);
        float[] all = Arrays.copyOf(c, c.length + y.length + dx.length + dw.length + db.length);
        int at = c.length;
        for (float[] part : new float[][] {y, dx, dw, db}) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return v;
    }

    @Test
    void kernelsCalledFromTasksOfOtherForkJoinPoolsGiveTheSameResultsWithoutDeadlock() throws Exception {
        Parallel.setThreads(3);
        SplittableRandom r = new SplittableRandom(8);
        float[] a = random(r, 97 * 75), b = random(r, 131 * 75);
        ConvShape s = ConvShape.of(4, 6, 19, 17, 10, 3, 1, 1, 1, 1);
        float[] x = random(r, 4 * 6 * 19 * 17), w = random(r, 10 * 6 * 9);
        float[] dy = random(r, 4 * 10 * s.outH() * s.outW());
        float[] expected = kernels(a, b, s, x, w, dy);
        // Tasks of a user's pool, more tasks than its threads, each calling the kernels, which
        // split their work on the library's pool while the user's workers wait on them.
        ForkJoinPool user = new ForkJoinPool(2);
        try {
            List<ForkJoinTask<float[]>> tasks = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                tasks.add(user.submit(() -> kernels(a, b, s, x, w, dy)));
            }
            for (ForkJoinTask<float[]> t : tasks) {
                assertArrayEquals(expected, t.get(60, TimeUnit.SECONDS), "same bits from a user's pool");
            }
        } finally {
            user.shutdown();
            assertTrue(user.awaitTermination(10, TimeUnit.SECONDS));
        }
        // A parallel stream runs on the common pool: the kernels must work there too.
        List<float[]> fromStream = IntStream.range(0, 4).parallel().mapToObj(i -> kernels(a, b, s, x, w, dy)).toList();
        for (float[] got : fromStream) {
            assertArrayEquals(expected, got, "same bits from a parallel stream");
        }
    }

    @Test
    void shutdownStopsEveryWorkerAndALaterLoopStartsAFreshPool() throws Exception {
        Parallel.setThreads(3);
        Parallel.parallelFor(64, 1, (s, e) -> busy());
        assertTrue(liveWorkers() > 0, "the pool has started workers");
        Parallel.shutdown();
        assertEquals(0, liveWorkers(), "no worker left after shutdown");
        AtomicIntegerArray hits = new AtomicIntegerArray(64);
        Parallel.parallelFor(64, 1, (s, e) -> hits.incrementAndGet(s));
        for (int i = 0; i < 64; i++) {
            assertEquals(1, hits.get(i));
        }
    }

    private static long liveWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("lanes-worker-")).count();
    }

    @Test
    void exceptionsInABodyReachTheCaller() {
        Parallel.setThreads(2);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Parallel.parallelFor(100, 1, (s, en) -> {
                    if (s == 57) {
                        throw new IllegalStateException("boom at 57");
                    }
                }));
        assertEquals("boom at 57", e.getMessage());
    }

    @Test
    void rejectsBadThreadCountsAndGrains() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setThreads(0));
        assertThrows(IllegalArgumentException.class, () -> Parallel.parallelFor(10, 0, (s, e) -> { }));
    }

    private static void busy() {
        long end = System.nanoTime() + 200_000;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
