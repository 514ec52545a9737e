package dev.lanes.zoo.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@code lanes models} and {@code lanes summary}. */
class ModelsCommandTest {
    @Test
    void listsTheZooWithParameterCounts() {
        CliRun r = CliRun.of("models", "--recipes");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().matches("(?s).*\\blenet5\\s+61,706\\s+mnist\\s+lenet-mnist\\b.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\blenet5-relu\\s+61,706\\b.*"), r.out());
        assertTrue(r.out().contains("lenet-quick"), r.out());
    }

    @Test
    void summaryShowsLayersShapesParametersAndFlops() {
        CliRun r = CliRun.of("summary", "lenet5");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("input 1x32x32, 10 classes (mnist, padded by 2)"), r.out());
        assertTrue(r.out().matches("(?s).*\\nconv1\\s+Conv2d\\(1, 6, kernel=5\\)\\s+\\[1, 6, 28, 28]\\s+156\\s+235,200\\n.*"),
                r.out());
        assertTrue(r.out().contains("Total parameters: 61,706"), r.out());

        r = CliRun.of("summary", "lenet5-relu", "--dataset", "cifar10");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Conv2d(3, 6, kernel=5)"), r.out());
        assertTrue(r.out().contains("input 3x36x36"), r.out());

        r = CliRun.of("summary", "resnet9000");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("lanes: unknown model 'resnet9000'"), r.err());
    }
}
