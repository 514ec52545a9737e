package dev.lanes.zoo.cli;

import dev.lanes.nn.train.Checkpoint;
import dev.lanes.nn.train.EpochMetrics;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The training curves as a PNG: loss (train, test) above accuracy (train, test), per epoch; drawn headless. */
final class CurvesChart {
    private static final Color TRAIN = new Color(0x1f77b4);
    private static final Color TEST = new Color(0xff7f0e);
    private CurvesChart() {
    }

    static void write(List<EpochMetrics> metrics, String title, Path file) throws IOException {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        XYSeries trainLoss = new XYSeries("train loss"), testLoss = new XYSeries("test loss");
        XYSeries trainAcc = new XYSeries("train accuracy %"), testAcc = new XYSeries("test accuracy %");
        for (EpochMetrics m : metrics) {
            add(trainLoss, m.epoch(), m.trainLoss());
            add(testLoss, m.epoch(), m.testLoss());
            add(trainAcc, m.epoch(), 100 * m.trainAcc());
            add(testAcc, m.epoch(), 100 * m.testAcc());
        }
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochs);
        plot.add(subplot("loss", trainLoss, testLoss), 1);
        plot.add(subplot("accuracy (%)", trainAcc, testAcc), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(png, chart, 800, 700);
        Checkpoint.writeAtomically(file, png.toByteArray());
    }

    private static void add(XYSeries s, int epoch, double v) {
        if (Double.isFinite(v)) {
            s.add(epoch, v);
        }
    }

    private static XYPlot subplot(String label, XYSeries train, XYSeries test) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(train);
        data.addSeries(test);
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(false);
        XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
        lines.setSeriesPaint(0, TRAIN);
        lines.setSeriesPaint(1, TEST);
        XYPlot plot = new XYPlot(data, null, y, lines);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }
}
