package dev.lanes.nn.optim;

/**
 * The one-cycle policy (Smith and Topin 2019) as PyTorch's {@code OneCycleLR} computes it with
 * cosine annealing: from {@code maxLr / divFactor} up to {@code maxLr} over the first
 * {@code pctStart} of the steps, then down to {@code initial / finalDivFactor}; the momentum
 * cycles the opposite way between 0.95 and 0.85.
 */
public final class OneCycle implements LrSchedule {
    private final double maxLr;
    private final double initial;
    private final double last;
    private final double peakStep;
    private final double endStep;
    private double baseMomentum = 0.85;
    private double maxMomentum = 0.95;

    public OneCycle(double maxLr, long total, double pctStart, double divFactor, double finalDivFactor) {
        if (total < 2 || pctStart <= 0 || pctStart >= 1) {
            throw new IllegalArgumentException("one-cycle needs at least 2 steps and 0 < pctStart < 1");
        }
        this.maxLr = maxLr;
        this.initial = maxLr / divFactor;
        this.last = initial / finalDivFactor;
        this.peakStep = pctStart * total - 1;
        this.endStep = total - 1;
    }

    public OneCycle momentum(double base, double max) {
        baseMomentum = base;
        maxMomentum = max;
        return this;
    }

    private static double anneal(double from, double to, double pct) {
        return to + (from - to) / 2 * (Math.cos(Math.PI * pct) + 1);
    }

    /**
     * How far {@code step} is up the climb. A run so short that the peak falls on step 0 (2 steps
     * at pctStart 0.5) starts at the peak: PyTorch divides 0 by 0 there.
     */
    private double climbed(long step) {
        return peakStep > 0 ? step / peakStep : 1.0;
    }

    @Override
    public double lr(long step) {
        if (step <= peakStep) {
            return anneal(initial, maxLr, climbed(step));
        }
        return anneal(maxLr, last, Math.min(1.0, (step - peakStep) / (endStep - peakStep)));
    }

    /** The momentum for {@code step} (high when the rate is low). */
    public double momentum(long step) {
        if (step <= peakStep) {
            return anneal(maxMomentum, baseMomentum, climbed(step));
        }
        return anneal(baseMomentum, maxMomentum, Math.min(1.0, (step - peakStep) / (endStep - peakStep)));
    }
}
