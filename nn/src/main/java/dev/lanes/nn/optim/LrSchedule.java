package dev.lanes.nn.optim;

/**
 * A learning rate as a function of the number of optimizer steps already taken (0 for the
 * first step). Stateless, so resuming from a checkpoint needs only the step count:
 * {@code opt.setLr(schedule.lr(opt.steps())); opt.step();}.
 */
@FunctionalInterface
public interface LrSchedule {
    double lr(long step);

    /** The same rate at every step. */
    static LrSchedule constant(double lr) {
        return step -> lr;
    }

    /** {@code base * gamma^(step / stepSize)} (PyTorch's StepLR, counted in steps). */
    static LrSchedule step(double base, long stepSize, double gamma) {
        if (stepSize < 1) {
            throw new IllegalArgumentException("step size must be >= 1, got " + stepSize);
        }
        return step -> base * Math.pow(gamma, step / stepSize);
    }

    /**
     * Linear warm-up from {@code base / warmup} to {@code base} over {@code warmup} steps, then
     * cosine annealing to {@code min} at {@code total} steps (and {@code min} after).
     */
    static LrSchedule cosine(double base, long total, long warmup, double min) {
        if (total < 1 || warmup < 0 || warmup >= total) {
            throw new IllegalArgumentException("cosine schedule needs 0 <= warmup < total, got warmup " + warmup
                    + " and total " + total);
        }
        return step -> {
            if (step < warmup) {
                return base * (step + 1) / warmup;
            }
            double pct = Math.min(1.0, (double) (step - warmup) / (total - warmup));
            return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * pct));
        };
    }

    /** PyTorch's OneCycleLR with cosine annealing. */
    static OneCycle oneCycle(double maxLr, long total) {
        return new OneCycle(maxLr, total, 0.3, 25, 1e4);
    }
}
