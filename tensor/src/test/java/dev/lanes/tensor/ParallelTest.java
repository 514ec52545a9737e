package dev.lanes.tensor;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;

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
