package dev.lanes.perf;

import dev.lanes.nn.BufferPool;
import dev.lanes.nn.F;
import dev.lanes.nn.Sequential;
import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.nn.layers.AvgPool2d;
import dev.lanes.nn.layers.Conv2d;
import dev.lanes.nn.layers.Flatten;
import dev.lanes.nn.layers.Linear;
import dev.lanes.nn.layers.Tanh;
import dev.lanes.nn.optim.Sgd;
import dev.lanes.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One LeNet-5 training step (forward, backward, SGD update) at batch 64 on 1x32x32 inputs,
 * built from the nn layers: conv 6@5x5, tanh, avg-pool 2, conv 16@5x5, tanh, avg-pool 2,
 * fc 400-120-84-10. Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes a step
 * allocates. {@code trainStep} borrows buffers from the thread's pool (the normal path);
 * {@code trainStepNoReuse} gives each step a fresh pool, i.e. what a step would allocate
 * without buffer reuse, measured in the same run for comparison.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class LeNetStepBenchmark {
    @Param({"64"})
    int batch;

    private Sequential model;
    private Sgd optimizer;
    private Tensor images;
    private int[] labels;
    private long step;

    /** The LeNet-5 of the notebook (tanh, average pooling). */
    public static Sequential leNet5() {
        return new Sequential(
                new Conv2d(1, 6, 5), new Tanh(), new AvgPool2d(2),
                new Conv2d(6, 16, 5), new Tanh(), new AvgPool2d(2),
                new Flatten(),
                new Linear(400, 120), new Tanh(),
                new Linear(120, 84), new Tanh(),
                new Linear(84, 10));
    }

    @Setup
    public void setup() {
        model = leNet5();
        model.initialize(1);
        optimizer = new Sgd(model.namedParameters(), 0.05).momentum(0.9);
        images = Tensor.uniform(2, -1f, 1f, batch, 1, 32, 32);
        labels = new int[batch];
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < batch; i++) {
            labels[i] = r.nextInt(10);
        }
    }

    @Benchmark
    public float trainStep() {
        return step(BufferPool.forCurrentThread());
    }

    @Benchmark
    public float trainStepNoReuse() {
        return step(new BufferPool());
    }

    @Benchmark
    public float inference() {
        try (Tape tape = Tape.inference()) {
            return model.forward(tape.input(images)).value().at(0);
        }
    }

    private float step(BufferPool pool) {
        optimizer.zeroGrad();
        float loss;
        try (Tape tape = Tape.recording(pool, step++)) {
            Var l = F.crossEntropy(model.forward(tape.input(images)), labels);
            tape.backward(l);
            loss = l.item();
        }
        optimizer.step();
        return loss;
    }
}
