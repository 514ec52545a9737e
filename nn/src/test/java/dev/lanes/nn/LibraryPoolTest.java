package dev.lanes.nn;

import dev.lanes.nn.optim.Sgd;
import dev.lanes.tensor.Parallel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ForkJoinPool;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Training and inference run on the library's own pool and never on the common ForkJoinPool,
 * and {@link Parallel#shutdown} leaves no worker behind. Checked in a fresh JVM, where nothing
 * else has touched the common pool.
 */
class LibraryPoolTest {
    /** The child: trains the small CNN of {@link TrainingTest} on two threads, serves inference, shuts the pool down. */
    public static void main(String[] args) {
        Parallel.setThreads(2);
        Sequential m = TrainingTest.cnn(7);
        Sgd opt = new Sgd(m.namedParameters(), 0.05).momentum(0.9);
        TrainingTest.train(m, opt, 6, s -> TrainingTest.bars(s, 24));
        m.eval();
        try (Tape tape = Tape.inference()) {
            m.forward(tape.input(TrainingTest.bars(99, 24).x()));
        }
        long workers = liveThreads("lanes-worker-");
        Parallel.shutdown();
        System.out.println("workers-while-running=" + workers);
        System.out.println("workers-after-shutdown=" + liveThreads("lanes-worker-"));
        System.out.println("common-pool-threads=" + ForkJoinPool.commonPool().getPoolSize()
                + " common-pool-steals=" + ForkJoinPool.commonPool().getStealCount()
                + " common-pool-named-threads=" + liveThreads("ForkJoinPool.commonPool"));
    }

    private static long liveThreads(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .count();
    }

    @Test
    void trainingUsesOnlyTheLibraryPoolAndShutdownStopsItsWorkers(@TempDir Path dir) throws Exception {
        ChildJvm.Result r = ChildJvm.run(LibraryPoolTest.class, List.of(), dir.resolve("child.log"), 120);
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(r.output().contains("workers-while-running=1"), "one worker beside the caller on 2 threads:\n" + r.output());
        assertTrue(r.output().contains("workers-after-shutdown=0"), r.output());
        assertTrue(r.output().contains("common-pool-threads=0 common-pool-steals=0 common-pool-named-threads=0"),
                r.output());
    }
}
