package dev.lanes.nn.data;

import dev.lanes.nn.io.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static dev.lanes.nn.data.TestFiles.*;
import static org.junit.jupiter.api.Assertions.*;

class DatasetsTest {
    @TempDir
    Path dataDir;

    @Test
    void dataDirectoryComesFromTheOptionThenTheEnvironmentThenHome() {
        Path explicit = Path.of("/x/data");
        assertEquals(explicit, DataDirectory.resolve(explicit, "/env/data", "/home/u"));
        assertEquals(Path.of("/env/data"), DataDirectory.resolve(null, "/env/data", "/home/u"));
        assertEquals(Path.of("/home/u/.lanes/data"), DataDirectory.resolve(null, null, "/home/u"));
        assertEquals(Path.of("/home/u/.lanes/data"), DataDirectory.resolve(null, "  ", "/home/u"));
    }

    @Test
    void missingRealDataNamesTheFileAndHowToGetIt() {
        assertFalse(Datasets.isPresent("mnist", dataDir));
        assertEquals(2, Datasets.missingFiles("mnist", Split.TRAIN, dataDir).size());
        DatasetMissingException e = assertThrows(DatasetMissingException.class,
                () -> Datasets.open("mnist", Split.TRAIN, dataDir));
        assertInstanceOf(NoSuchFileException.class, e, "the CLI maps it to exit code 2");
        assertEquals("mnist", e.dataset());
        assertTrue(e.getMessage().contains(dataDir.resolve("mnist").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("lanes fetch mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
        assertTrue(assertThrows(DatasetMissingException.class, () -> Datasets.open("cifar10", Split.TEST, dataDir))
                .getMessage().contains("test_batch.bin"));
    }

    @Test
    void presentFilesAreFoundAndOpened() throws IOException {
        writeMnist(dataDir.resolve("fashion-mnist"), 12, true);
        assertTrue(Datasets.isPresent("fashion-mnist", dataDir));
        assertFalse(Datasets.isPresent("mnist", dataDir));
        Dataset ds = Datasets.open("fashion-mnist", Split.TEST, dataDir, 5);
        assertEquals(5, ds.size());
        assertEquals("fashion-mnist", ds.name());
        assertEquals("Ankle boot", ds.classNames().get(9));
    }

    @Test
    void corruptRealDataNamesTheFileTheOffsetAndHowToGetIt() throws IOException {
        Path folder = dataDir.resolve("mnist");
        writeMnist(folder, 12, false);
        byte[] labels = idxLabels(IdxReader.LABELS_MAGIC, 12);
        labels[8 + 4] = 42;
        write(folder, Mnist.labelsFile(Split.TRAIN), labels);
        CorruptFileException e = assertThrows(CorruptFileException.class,
                () -> Datasets.open("mnist", Split.TRAIN, dataDir));
        assertEquals(folder.resolve(Mnist.labelsFile(Split.TRAIN)), e.file());
        assertEquals(12, e.offset());
        assertTrue(e.getMessage().startsWith(e.file() + " at byte 12: label 42"), e.getMessage());
        assertTrue(e.getMessage().contains("lanes fetch mnist"), e.getMessage());
    }

    @Test
    void syntheticSetsNeedNoFilesAndHonourTheLimit() throws IOException {
        Path nowhere = dataDir.resolve("does-not-exist");
        assertTrue(Datasets.isPresent("synthetic-digits", nowhere));
        Dataset digits = Datasets.open("synthetic-digits", Split.TRAIN, nowhere, 100);
        assertEquals(100, digits.size());
        assertArrayEquals(Datasets.imageShape("mnist"), digits.imageShape());
        Dataset cifar = Datasets.open("synthetic-cifar", Split.TEST, nowhere, 30);
        assertArrayEquals(Datasets.imageShape("cifar10"), cifar.imageShape());
        assertFalse(Files.exists(nowhere), "nothing is written for synthetic sets");
    }

    @Test
    void namesAndStandIns() {
        assertEquals(List.of("mnist", "fashion-mnist", "cifar10", "synthetic-digits", "synthetic-cifar"),
                Datasets.names());
        assertEquals("synthetic-digits", Datasets.syntheticStandIn("mnist"));
        assertEquals("synthetic-digits", Datasets.syntheticStandIn("fashion-mnist"));
        assertEquals("synthetic-cifar", Datasets.syntheticStandIn("cifar10"));
        assertEquals("cifar-10", Datasets.folderName("cifar10"));
        assertEquals("cifar10", Datasets.canonicalName("CIFAR-10"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Datasets.open("imagenet", Split.TRAIN, dataDir));
        assertTrue(e.getMessage().contains("imagenet") && e.getMessage().contains("synthetic-cifar"), e.getMessage());
    }

    @Test
    void limitIsAViewOfTheFirstSamples() {
        ByteImageDataset ds = SyntheticDigits.generate(1, 0, 20);
        Dataset first = ds.limit(5);
        assertEquals(5, first.size());
        float[] a = new float[784];
        float[] b = new float[784];
        assertEquals(ds.read(4, a, 0), first.read(4, b, 0));
        assertArrayEquals(a, b);
        assertThrows(IndexOutOfBoundsException.class, () -> first.read(5, b, 0));
        assertSame(ds, ds.limit(20));
    }
}
