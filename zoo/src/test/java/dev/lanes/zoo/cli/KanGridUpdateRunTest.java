package dev.lanes.zoo.cli;

import dev.lanes.nn.io.Safetensors;
import dev.lanes.nn.io.StateDict;
import dev.lanes.tensor.BSplineBasis;
import dev.lanes.tensor.Tensor;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;
import dev.lanes.zoo.models.kan.KanModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

/** A recipe with grid updates makes {@code lanes train} move the KAN grids to the data. */
class KanGridUpdateRunTest {
    private static final String RECIPE = "test-kan-grid-update";

    static {
        Zoo.register(Zoo.recipe(KanModels.QUICK_RECIPE).toBuilder().name(RECIPE).epochs(1).limitTrain(128)
                .limitTest(32).batchSize(32).gridUpdate(2, 3).build());
    }

    @TempDir
    Path tmp;

    @Test
    void theSavedGridsAreNoLongerTheUniformStartingGrid() throws IOException {
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("train", "kan", "--recipe", RECIPE, "--dataset", "synthetic-digits", "--out", out.toString(),
                "--threads", "1");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("grid update every 2 steps to step 3"), r.out());
        StateDict w = Safetensors.load(out.resolve("model.safetensors"));
        float[] uniform01 = BSplineBasis.uniformKnots(0f, 1f, 5, 3), uniform11 = BSplineBasis.uniformKnots(-1f, 1f, 5, 3);
        assertFalse(startsWith(w.get("layers.0.grid"), uniform01), "layer 0 kept its starting grid");
        assertFalse(startsWith(w.get("layers.1.grid"), uniform11), "layer 1 kept its starting grid");
    }

    @Test
    void aGridUpdateThatCouldNeverHappenIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Recipe.builder("never").gridUpdate(10, 5).build());
    }

    private static boolean startsWith(Tensor grid, float[] knots) {
        for (int j = 0; j < knots.length; j++) {
            if (grid.at(j) != knots[j]) {
                return false;
            }
        }
        return true;
    }
}
