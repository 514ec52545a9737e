package dev.lanes.zoo.models.capsnet;

import dev.lanes.nn.F;
import dev.lanes.nn.OpProfile;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.SyntheticDigits;
import dev.lanes.nn.optim.Adam;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.ModelInput;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Where a CapsNet training step spends its time, stage by stage: each stage (conv1 + ReLU, the
 * primary-capsule convolution, the capsule regrouping and squash, the predictions
 * {@code u_hat = W u}, the routing, decoder + losses, the Adam step) runs forward and backward on
 * its own tape, on inputs taken from a real forward pass of a fixed batch of synthetic digits and
 * with a fixed random upstream gradient; then whole training steps are timed. Prints median
 * milliseconds per stage, its share of their sum, GFLOPS for the convolutions, and the whole
 * step's median (its difference from the sum is what the stages do not cover: tape bookkeeping
 * and gradient buffers of the joints).
 *
 * <pre>
 * java --add-modules=jdk.incubator.vector -cp "perf/target/classes:perf/target/lib/*" \
 *     dev.lanes.zoo.models.capsnet.CapsNetStepProfile [--batch 128] [--threads 2] [--warmup 2] [--steps 5] [--ops]
 * </pre>
 */
public final class CapsNetStepProfile {
    private CapsNetStepProfile() {
    }

    public static void main(String[] args) {
        int batch = 128, threads = 2, warmup = 2, steps = 5;
        boolean ops = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--steps" -> steps = Integer.parseInt(args[++i]);
                case "--ops" -> ops = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Parallel.setThreads(threads);
        System.out.printf(Locale.ROOT, "capsnet, batch %d, %d thread%s, %d warm-up + %d timed rounds (%s)%n", batch,
                threads, threads == 1 ? "" : "s", warmup, steps, Runtime.version());
        run(batch, warmup, steps, ops);
        Parallel.shutdown();
    }

    /** One stage: its forward from the stage's input (a fresh {@link Var} on the given tape). */
    private record Stage(String name, Tensor input, boolean inputNeedsGrad, Function<Var, Var> forward, long flops) {
    }

    private static void run(int batch, int warmup, int steps, boolean printOps) {
        ModelInput in = new ModelInput(1, 28, 28, 10);
        CapsNet net = new CapsNet(in);
        net.initialize(1);
        net.train();
        Dataset digits = SyntheticDigits.generate(1, 0, batch);
        Tensor x = Tensor.zeros(batch, 1, 28, 28);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = digits.read(i, x.data(), i * 784);
        }
        int routing = net.config().routing();
        Var weight = net.digitCaps().weight();
        // the inputs of the stages, from one forward pass
        Tensor h, conv, u, uHat, v;
        try (Tape t = Tape.inference()) {
            Var hv = F.relu(net.conv1().forward(t.input(x)));
            Var cv = net.primaryCaps().conv().forward(hv);
            Var uv = net.primaryCaps().regroup(cv);
            Var pv = F.capsulePredictions(uv, weight);
            h = hv.value().copy();
            conv = cv.value().copy();
            u = uv.value().copy();
            uHat = pv.value().copy();
            v = F.dynamicRouting(pv, routing).value().copy();
        }
        long conv1Flops = 2L * h.size() * 81, primaryFlops = 2L * conv.size() * 256 * 81;
        Stage[] stages = {
            new Stage("conv1 + ReLU", x, false, xs -> F.relu(net.conv1().forward(xs)), conv1Flops),
            new Stage("primary-capsule convolution", h, true, hs -> net.primaryCaps().conv().forward(hs), primaryFlops),
            new Stage("regroup + squash", conv, true, cs -> net.primaryCaps().regroup(cs), 0),
            new Stage("predictions u_hat = W u", u, true, us -> F.capsulePredictions(us, weight), 0),
            new Stage("routing (" + routing + " iterations)", uHat, true, ps -> F.dynamicRouting(ps, routing), 0),
            new Stage("decoder + losses", v, true, vs -> net.lossFromCapsules(vs, vs.tape().input(x), y).loss(), 0),
        };
        Tensor[] upstream = new Tensor[stages.length];
        try (Tape t = Tape.inference()) {
            for (int k = 0; k < stages.length; k++) {
                int[] shape = stages[k].forward().apply(t.input(stages[k].input())).shape();
                upstream[k] = Tensor.randn(k, 1e-3f, shape);
            }
        }
        Adam opt = new Adam(net.namedParameters(), 1e-3);
        Map<String, OpProfile> profiles = new LinkedHashMap<>();
        double[][] ms = new double[stages.length + 2][steps];
        for (int s = 0; s < warmup + steps; s++) {
            opt.zeroGrad();
            for (int k = 0; k < stages.length; k++) {
                Stage st = stages[k];
                long t0 = System.nanoTime();
                try (Tape t = Tape.recording(s)) {
                    if (s >= warmup) {
                        t.profile(profiles.computeIfAbsent(st.name(), n -> new OpProfile()));
                    }
                    Var out = st.forward().apply(t.input(st.input(), st.inputNeedsGrad()));
                    if (out.size() == 1) {
                        t.backward(out);
                    } else {
                        t.backward(out, upstream[k]);
                    }
                }
                if (s >= warmup) {
                    ms[k][s - warmup] = (System.nanoTime() - t0) / 1e6;
                }
            }
            long t0 = System.nanoTime();
            opt.step();
            if (s >= warmup) {
                ms[stages.length][s - warmup] = (System.nanoTime() - t0) / 1e6;
            }
        }
        for (int s = 0; s < warmup + steps; s++) {
            long t0 = System.nanoTime();
            opt.zeroGrad();
            try (Tape t = Tape.recording(s)) {
                Var loss = net.lossAndScores(t.input(x), y).loss();
                t.backward(loss);
                if (!Float.isFinite(loss.item())) {
                    throw new IllegalStateException("capsnet: loss is not finite");
                }
            }
            opt.step();
            if (s >= warmup) {
                ms[stages.length + 1][s - warmup] = (System.nanoTime() - t0) / 1e6;
            }
        }
        double sum = 0;
        double[] med = new double[ms.length];
        for (int k = 0; k < ms.length; k++) {
            med[k] = median(ms[k]);
            if (k < ms.length - 1) {
                sum += med[k];
            }
        }
        System.out.printf(Locale.ROOT, "%-30s %10s %7s %8s%n", "stage (forward + backward)", "ms", "share", "GFLOPS");
        for (int k = 0; k <= stages.length; k++) {
            String name = k < stages.length ? stages[k].name() : "Adam step";
            long flops = k < stages.length ? stages[k].flops() : 0;
            // a convolution's backward is about twice its forward (data and weights; conv1 has no data gradient)
            double passes = k == 0 ? 2 : 3;
            System.out.printf(Locale.ROOT, "%-30s %10.1f %6.1f%% %8s%n", name, med[k], 100 * med[k] / sum,
                    flops == 0 ? "" : String.format(Locale.ROOT, "%.1f", passes * flops / (med[k] * 1e6)));
        }
        System.out.printf(Locale.ROOT, "%-30s %10.1f%n", "sum of stages", sum);
        double step = med[ms.length - 1];
        System.out.printf(Locale.ROOT, "whole training step: %.1f ms median of %d, %.1f images/s%n", step, steps,
                batch * 1000 / step);
        if (printOps) {
            for (Map.Entry<String, OpProfile> e : profiles.entrySet()) {
                System.out.println("-- " + e.getKey());
                System.out.print(e.getValue().table());
            }
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
