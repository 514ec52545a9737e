package dev.lanes.nn.train;

import java.io.Console;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Training progress for people. On a terminal: a bar per epoch redrawn in place (at most ten
 * times a second) with loss, accuracy, images/s and the time left. Elsewhere (CI, a pipe, a
 * log file): a plain line every tenth of an epoch, or every {@code plainEverySeconds}. Either
 * way, a summary line per epoch.
 */
public final class ConsoleProgress implements TrainListener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR = 24;

    private final PrintWriter out;
    private final boolean terminal;
    private final double plainEverySeconds;
    private long lastDraw;
    private double lastPlainSeconds;
    private int lastPlainTenth;
    private int lineLength;

    public ConsoleProgress(PrintWriter out, boolean terminal) {
        this(out, terminal, 30);
    }

    public ConsoleProgress(PrintWriter out, boolean terminal, double plainEverySeconds) {
        this.out = out;
        this.terminal = terminal;
        this.plainEverySeconds = plainEverySeconds;
    }

    /** True when standard output is an interactive terminal that understands carriage returns. */
    public static boolean isTerminal() {
        Console c = System.console();
        String term = System.getenv("TERM");
        return c != null && c.isTerminal() && term != null && !term.isBlank() && !"dumb".equals(term);
    }

    @Override
    public void epochStarted(int epoch, int epochs, int batches, int firstBatch) {
        lastDraw = 0;
        lastPlainSeconds = 0;
        lastPlainTenth = firstBatch * 10 / Math.max(1, batches);
        if (firstBatch > 0) {
            println(String.format(Locale.ROOT, "epoch %d/%d: resuming after batch %d of %d", epoch, epochs, firstBatch,
                    batches));
        }
    }

    @Override
    public void step(StepProgress p) {
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDraw < REDRAW_NANOS && p.batch() < p.batches()) {
                return;
            }
            lastDraw = now;
            int filled = (int) ((long) BAR * p.batch() / p.batches());
            String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
            double left = p.imagesPerSec() > 0 ? (p.imagesPerEpoch() - p.images()) / p.imagesPerSec() : 0;
            draw(String.format(Locale.ROOT, "epoch %d/%d [%s] %3d%% %d/%d  loss %s  acc %.2f%%  %,.0f img/s  %s left",
                    p.epoch(), p.epochs(), bar, 100L * p.batch() / p.batches(), p.batch(), p.batches(), loss(p.loss()),
                    100 * p.accuracy(), p.imagesPerSec(), clock(left)));
            return;
        }
        int tenth = (int) (10L * p.batch() / p.batches());
        boolean due = tenth > lastPlainTenth || p.seconds() - lastPlainSeconds >= plainEverySeconds;
        if (due && p.batch() < p.batches()) {
            lastPlainTenth = tenth;
            lastPlainSeconds = p.seconds();
            println(String.format(Locale.ROOT, "epoch %d/%d  %3d%% (%d/%d)  loss %s  acc %.2f%%  %,.0f img/s",
                    p.epoch(), p.epochs(), 100L * p.batch() / p.batches(), p.batch(), p.batches(), loss(p.loss()),
                    100 * p.accuracy(), p.imagesPerSec()));
        }
    }

    @Override
    public void evaluating(int epoch, int images) {
        if (terminal) {
            draw(String.format(Locale.ROOT, "epoch %d: evaluating on %,d test images...", epoch, images));
        }
    }

    @Override
    public void epochFinished(EpochMetrics m) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "epoch %d: train loss %s acc %.2f%%", m.epoch(), loss(m.trainLoss()), 100 * m.trainAcc()));
        if (Double.isFinite(m.testAcc())) {
            sb.append(String.format(Locale.ROOT, " | test loss %s acc %.2f%%", loss(m.testLoss()), 100 * m.testAcc()));
        }
        sb.append(String.format(Locale.ROOT, " | %.1f s, %,.0f img/s, lr %.3g", m.seconds(), m.imagesPerSec(), m.lr()));
        println(sb.toString());
    }

    @Override
    public void stopped(int epoch, int batch, long step, Path checkpoint) {
        println(String.format(Locale.ROOT, "stopped in epoch %d after batch %d (step %,d)%s", epoch, batch, step,
                checkpoint == null ? "; no checkpoint written (no output folder)" : "; checkpoint saved: " + checkpoint));
    }

    private void draw(String line) {
        int pad = Math.max(0, lineLength - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lineLength = line.length();
    }

    private void println(String line) {
        if (terminal && lineLength > 0) {
            out.print("\r" + " ".repeat(lineLength) + "\r");
            lineLength = 0;
        }
        out.println(line);
        out.flush();
    }

    /** Four decimals for the usual range, scientific notation for a diverging loss. */
    private static String loss(double v) {
        return Math.abs(v) < 1000 ? String.format(Locale.ROOT, "%.4f", v) : String.format(Locale.ROOT, "%.3e", v);
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
