package dev.lanes.zoo.models.kan;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.OpProfile;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.SyntheticDigits;
import dev.lanes.nn.optim.Adam;
import dev.lanes.nn.train.CustomLoss;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.Zoo;

import java.util.Arrays;
import java.util.Locale;

/**
 * Where a training step of an MNIST-sized zoo model (the KANs, convolutional KANs, CapsNet) spends
 * its time: forward, loss (the model's own for {@link CustomLoss} models), backward and an Adam
 * step on a fixed batch of synthetic digits, warmed up, then timed per op kind with an
 * {@link OpProfile}. Prints the median step time over the timed steps and the per-op table.
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp "perf/target/classes:perf/target/lib/*" \
 *     dev.lanes.zoo.models.kan.MnistStepProfile [--batch 64] [--threads 1] [--warmup 5] [--steps 10] MODEL...
 * </pre>
 */
public final class MnistStepProfile {
    private MnistStepProfile() {
    }

    public static void main(String[] args) {
        int batch = 64, threads = 1, warmup = 5, steps = 10;
        java.util.List<String> models = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                default -> models.add(args[i]);
            }
        }
        Parallel.setThreads(threads);
        System.out.printf(Locale.ROOT, "batch %d, %d thread%s, %d warm-up + %d timed steps (%s)%n", batch, threads,
                threads == 1 ? "" : "s", warmup, steps, Runtime.version());
        for (String name : models) {
            run(name, batch, warmup, steps);
        }
        Parallel.shutdown();
    }

    private static void run(String name, int batch, int warmup, int steps) {
        ModelInput in = new ModelInput(1, 28, 28, 10);
        Module m = Zoo.model(name).create(in, 1);
        Dataset digits = SyntheticDigits.generate(1, 0, batch);
        Tensor x = Tensor.zeros(batch, 1, 28, 28);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = digits.read(i, x.data(), i * 784);
        }
        Adam opt = new Adam(m.namedParameters(), 1e-3);
        OpProfile ops = new OpProfile();
        double[] ms = new double[steps];
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            try (Tape t = Tape.recording(s)) {
                if (s >= warmup) {
                    t.profile(ops);
                }
                Var images = t.input(x);
                Var loss = m instanceof CustomLoss c ? c.lossAndScores(images, y).loss()
                        : F.crossEntropy(m.forward(images), y);
                t.backward(loss);
                if (!Float.isFinite(loss.item())) {
                    throw new IllegalStateException(name + ": loss is not finite");
                }
            }
            opt.step();
            if (s >= warmup) {
                ms[s - warmup] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = steps % 2 == 1 ? sorted[steps / 2] : (sorted[steps / 2 - 1] + sorted[steps / 2]) / 2;
        System.out.printf(Locale.ROOT, "%s (%,d parameters): %.1f ms per training step, median of %d (%.1f-%.1f)%n",
                name, m.parameterCount(), median, steps, sorted[0], sorted[steps - 1]);
        System.out.print(ops.table());
    }
}
