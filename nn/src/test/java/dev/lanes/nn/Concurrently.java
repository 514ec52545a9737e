package dev.lanes.nn;

import java.util.concurrent.atomic.AtomicReference;

/** Runs a body on several fresh threads at once and rethrows the first failure. */
final class Concurrently {
    @FunctionalInterface
    interface Body {
        void run(int thread) throws Exception;
    }

    private Concurrently() {
    }

    static void run(int threads, Body body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] ts = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            int id = i;
            ts[i] = new Thread(() -> {
                try {
                    body.run(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            ts[i].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a thread failed: " + failure.get(), failure.get());
        }
    }
}
