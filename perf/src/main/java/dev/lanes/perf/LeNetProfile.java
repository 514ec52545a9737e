package dev.lanes.perf;

import dev.lanes.nn.BufferPool;
import dev.lanes.nn.F;
import dev.lanes.nn.OpProfile;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.optim.Sgd;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a LeNet-5 training step spends its time: the step of {@link LeNetStepBenchmark} (batch
 * 64, forward, backward, SGD momentum update), warmed up, then timed per op kind with an
 * {@link OpProfile} over many steps. The optimizer update runs outside the tape and is timed
 * on its own. Usage: {@code LeNetProfile [THREADS] [WARMUP_STEPS] [STEPS]}.
 */
public final class LeNetProfile {
    private LeNetProfile() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Parallel.threads();
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Parallel.setThreads(threads);
        Sequential model = LeNetStepBenchmark.leNet5();
        model.initialize(1);
        Sgd optimizer = new Sgd(model.namedParameters(), 0.05).momentum(0.9);
        int batch = 64;
        Tensor images = Tensor.uniform(2, -1f, 1f, batch, 1, 32, 32);
        int[] labels = new SplittableRandom(3).ints(batch, 0, 10).toArray();
        BufferPool pool = BufferPool.forCurrentThread();

        for (int s = 0; s < warmup; s++) {
            step(model, optimizer, images, labels, pool, s, null);
        }
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long bytes0 = mx.getCurrentThreadAllocatedBytes();
        for (int s = 0; s < 10; s++) {
            step(model, optimizer, images, labels, pool, warmup + s, null);
        }
        long bytesPerStep = (mx.getCurrentThreadAllocatedBytes() - bytes0) / 10;
        OpProfile profile = new OpProfile();
        long optimizerNanos = 0;
        long t0 = System.nanoTime();
        for (int s = 0; s < steps; s++) {
            optimizerNanos += step(model, optimizer, images, labels, pool, warmup + s, profile);
        }
        long wall = System.nanoTime() - t0;

        System.out.printf(Locale.ROOT, "LeNet-5 training step, batch %d, %d thread%s, %d steps after %d warm-up: "
                        + "%.3f ms per step (%,.0f images/s)%n", batch, threads, threads == 1 ? "" : "s", steps, warmup,
                wall / 1e6 / steps, (double) batch * steps / (wall / 1e9));
        System.out.printf(Locale.ROOT, "%-18s %10s %10s %7s%n", "op", "fwd ms", "bwd ms", "share");
        double total = wall;
        profile.entries().forEach((op, e) -> System.out.printf(Locale.ROOT, "%-18s %10.3f %10.3f %6.1f%%%n", op,
                e.forwardNanos() / 1e6 / steps, e.backwardNanos() / 1e6 / steps,
                100.0 * (e.forwardNanos() + e.backwardNanos()) / total));
        System.out.printf(Locale.ROOT, "%-18s %10.3f %10s %6.1f%%%n", "sgd update", optimizerNanos / 1e6 / steps, "",
                100.0 * optimizerNanos / total);
        long rest = wall - profile.totalNanos() - optimizerNanos;
        System.out.printf(Locale.ROOT, "%-18s %10.3f %10s %6.1f%%%n", "other (tape, zero)", rest / 1e6 / steps, "",
                100.0 * rest / total);
        System.out.printf(Locale.ROOT, "heap allocated by the calling thread: %,d bytes per step (10 unprofiled steps)%n",
                bytesPerStep);
        Parallel.shutdown();
    }

    /** One step; returns the nanoseconds of the optimizer update. */
    private static long step(Sequential model, Sgd optimizer, Tensor images, int[] labels, BufferPool pool, long step,
            OpProfile profile) {
        optimizer.zeroGrad();
        try (Tape tape = Tape.recording(pool, step)) {
            tape.profile(profile);
            Var loss = F.crossEntropy(model.forward(tape.input(images)), labels);
            tape.backward(loss);
            loss.item();
        }
        long t = System.nanoTime();
        optimizer.step();
        return System.nanoTime() - t;
    }
}
