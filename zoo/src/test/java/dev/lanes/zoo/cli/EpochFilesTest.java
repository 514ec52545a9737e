package dev.lanes.zoo.cli;

import dev.lanes.nn.train.EpochMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

class EpochFilesTest {
    @TempDir
    Path dir;

    private static EpochMetrics epoch(int n) {
        return new EpochMetrics(n, 10L * n, 2.0 / n, 0.5, 2.1 / n, 0.45, 1.0, 1280, 0.1, 0.2, 5000);
    }

    @Test
    void aChartThatCannotBeDrawnWarnsOnceAndTrainingGoesOn() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        StringWriter err = new StringWriter();
        EpochFiles files = new EpochFiles(new ArrayList<>(), dir, null, "t", (h, title, file) -> {
            tries.incrementAndGet();
            throw new RuntimeException("Fontconfig head is null, check your fonts or fonts configuration");
        }, new PrintWriter(err));
        files.epochFinished(epoch(1));
        files.epochFinished(epoch(2));
        assertEquals(1, tries.get(), "a failed chart is not retried every epoch");
        assertEquals(2, Files.readAllLines(dir.resolve("metrics.jsonl")).size(), "both epochs' metrics written");
        assertFalse(Files.exists(dir.resolve("curves.png")));
        assertTrue(err.toString().contains("curves.png not drawn") && err.toString().contains("Fontconfig"), err.toString());
        assertEquals(1, err.toString().lines().count());
    }

    @Test
    void theChartIsDrawnAfterEveryEpoch() throws Exception {
        EpochFiles files = new EpochFiles(new ArrayList<>(), dir, null, "t", CurvesChart::write,
                new PrintWriter(new StringWriter()));
        files.epochFinished(epoch(1));
        long first = Files.size(dir.resolve("curves.png"));
        files.epochFinished(epoch(2));
        assertTrue(first > 0 && Files.size(dir.resolve("curves.png")) > 0);
    }
}
