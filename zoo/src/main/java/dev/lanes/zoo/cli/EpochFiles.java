package dev.lanes.zoo.cli;

import dev.lanes.nn.train.EpochMetrics;
import dev.lanes.nn.train.TrainListener;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * After each epoch: metrics.jsonl and curves.png in the output folder, and the --metrics-out file.
 * The chart is a convenience: when it cannot be drawn (a headless server without fonts makes
 * Java's font setup throw "Fontconfig head is null") the run warns once and goes on, since a
 * picture is not worth the hours of training behind it.
 */
final class EpochFiles implements TrainListener {
    /** Draws the curves of {@code history} into {@code file}. */
    interface CurvesWriter {
        void write(List<EpochMetrics> history, String title, Path file) throws IOException;
    }

    private final List<EpochMetrics> history;
    private final Path outDir;
    private final Path metricsOut;
    private final String title;
    private final CurvesWriter curves;
    private final PrintWriter err;
    private boolean curvesFailed;

    EpochFiles(List<EpochMetrics> history, Path outDir, Path metricsOut, String title, CurvesWriter curves,
               PrintWriter err) {
        this.history = history;
        this.outDir = outDir;
        this.metricsOut = metricsOut;
        this.title = title;
        this.curves = curves;
        this.err = err;
    }

    @Override
    public void epochFinished(EpochMetrics m) {
        history.add(m);
        try {
            if (outDir != null) {
                Files.createDirectories(outDir);
                MetricsFile.write(history, outDir.resolve("metrics.jsonl"));
                drawCurves(outDir.resolve("curves.png"));
            }
            if (metricsOut != null) {
                MetricsFile.write(history, metricsOut);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void drawCurves(Path png) throws IOException {
        if (curvesFailed) {
            return;
        }
        try {
            curves.write(history, title, png);
        } catch (RuntimeException | LinkageError e) {
            curvesFailed = true;
            err.println("lanes: warning: " + png.getFileName() + " not drawn (" + e
                    + "); training goes on, the curves are in metrics.jsonl");
            err.flush();
        }
    }
}
