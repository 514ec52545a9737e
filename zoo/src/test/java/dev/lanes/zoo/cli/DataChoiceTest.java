package dev.lanes.zoo.cli;

import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class DataChoiceTest {
    @TempDir
    Path dataDir;

    private void put(String set, String file) throws Exception {
        Path dir = dataDir.resolve(Datasets.folderName(set));
        Files.createDirectories(dir);
        Files.createFile(dir.resolve(file));
    }

    @Test
    void anAbsentSetFallsBackToItsStandInWithANote() {
        DataChoice c = DataChoice.choose("cifar10", null, dataDir);
        assertEquals("synthetic-cifar", c.dataset());
        assertTrue(c.note().contains("cifar10 is not in"), c.note());
    }

    @Test
    void aPartlyPresentSetStopsTheCommandNamingWhatIsMissing() throws Exception {
        put("cifar10", "data_batch_1.bin.gz");
        put("cifar10", "test_batch.bin.gz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DataChoice.choose("cifar10", null, dataDir));
        assertTrue(e.getMessage().contains("incomplete") && e.getMessage().contains("data_batch_2.bin")
                && e.getMessage().contains("data_batch_5.bin") && !e.getMessage().contains("data_batch_1.bin"), e.getMessage());
    }

    @Test
    void aCompleteSetIsChosenAndAnExplicitNameIsKept() throws Exception {
        for (Split split : Split.values()) {
            for (String f : Datasets.fileNames("mnist", split)) {
                put("mnist", f + ".gz");
            }
        }
        assertEquals(new DataChoice("mnist", null), DataChoice.choose("mnist", null, dataDir));
        assertEquals(new DataChoice("synthetic-digits", null), DataChoice.choose("mnist", "synthetic-digits", dataDir));
    }
}
