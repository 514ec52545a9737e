package dev.lanes.zoo.models.cifar;

import dev.lanes.nn.BufferPool;
import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.OpProfile;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.optim.Sgd;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Training (or inference) throughput of zoo models on random CIFAR-sized batches, the figures of
 * the README's CIFAR-10 zoo section: a training step is forward, cross-entropy, backward and an
 * SGD step (Nesterov momentum 0.9, weight decay 5e-4), as PyTorch's peer measures it.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp "perf/target/classes:perf/target/lib/*" \
 *     dev.lanes.zoo.models.cifar.Throughput [--batch 128] [--threads 2] [--warmup 2] [--steps 5] \
 *     [--infer] [--profile] MODEL...
 * </pre>
 *
 * Prints per model the median images/s over the timed steps and their min-max, and the bytes
 * the tape's buffer pool holds for a step (activations and gradients in flight); with
 * {@code --profile}, the tape's per-op times over the timed steps and the share of the step in
 * convolution, GEMM (linear and matmul), batch norm and the rest (everything else, the
 * optimizer step included).
 */
public final class Throughput {
    private Throughput() {
    }

    public static void main(String[] args) {
        int batch = 128, threads = 2, warmup = 2, steps = 5;
        boolean infer = false, profile = false;
        List<String> models = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--infer" -> infer = true;
                case "--profile" -> profile = true;
                default -> models.add(args[i]);
            }
        }
        Parallel.setThreads(threads);
        System.out.printf(Locale.ROOT, "batch %d, %d thread%s, %s, %d warm-up + %d timed steps (%s)%n", batch, threads,
                threads == 1 ? "" : "s", infer ? "inference" : "training", warmup, steps, Runtime.version());
        for (String name : models) {
            run(name, batch, warmup, steps, infer, profile);
        }
        Parallel.shutdown();
    }

    private static void run(String name, int batch, int warmup, int steps, boolean infer, boolean profile) {
        ModelInput in = new ModelInput(3, 32, 32, 10);
        Module m = Zoo.model(name).create(in, 1);
        Tensor x = Tensor.randn(7, 1f, in.batchShape(batch));
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = (i * 7) % in.classes();
        }
        Sgd opt = new Sgd(m.namedParameters(), 0.01).momentum(0.9).nesterov(true).weightDecay(5e-4);
        if (infer) {
            m.eval();
        }
        BufferPool pool = BufferPool.forCurrentThread();
        OpProfile ops = new OpProfile();
        double[] seconds = new double[steps];
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            try (Tape t = infer ? Tape.inference() : Tape.recording(s)) {
                if (profile && s >= warmup) {
                    t.profile(ops);
                }
                Var out = m.forward(t.input(x));
                if (!infer) {
                    opt.zeroGrad();
                    Var loss = F.crossEntropy(out, y);
                    t.backward(loss);
                    if (!Float.isFinite(loss.item())) {
                        throw new IllegalStateException(name + ": loss is not finite");
                    }
                }
            }
            if (!infer) {
                opt.step();
            }
            if (s >= warmup) {
                seconds[s - warmup] = (System.nanoTime() - t0) / 1e9;
            }
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double median = steps % 2 == 1 ? sorted[steps / 2] : (sorted[steps / 2 - 1] + sorted[steps / 2]) / 2;
        System.out.printf(Locale.ROOT, "%-16s %,11d params  %s  %8.1f images/s median (%.1f-%.1f), %.3f s per step, "
                + "pool %.2f GB%n", name, m.parameterCount(), infer ? "infer" : "train", batch / median,
                batch / sorted[steps - 1], batch / sorted[0], median, pool.freeBytes() / 1e9);
        if (profile) {
            System.out.print(ops.table());
            double total = Arrays.stream(seconds).sum() * 1e9;
            double conv = 0, gemm = 0, bn = 0;
            for (Map.Entry<String, OpProfile.Entry> e : ops.entries().entrySet()) {
                double ns = e.getValue().forwardNanos() + e.getValue().backwardNanos();
                switch (e.getKey()) {
                    case "conv2d" -> conv += ns;
                    case "linear", "matmul" -> gemm += ns;
                    case "batchNorm" -> bn += ns;
                    default -> { }
                }
            }
            System.out.printf(Locale.ROOT, "%s step time: conv %.1f%%, GEMM %.1f%%, batch norm %.1f%%, rest %.1f%% "
                    + "(of %.3f s per step; rest = other ops, the loss and the optimizer step)%n", name,
                    100 * conv / total, 100 * gemm / total, 100 * bn / total, 100 * (total - conv - gemm - bn) / total,
                    total / 1e9 / steps);
        }
    }
}
