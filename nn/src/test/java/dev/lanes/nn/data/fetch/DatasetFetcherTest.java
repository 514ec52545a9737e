package dev.lanes.nn.data.fetch;

import dev.lanes.nn.data.Cifar10;
import dev.lanes.nn.data.Dataset;
import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Split;
import dev.lanes.nn.io.CorruptFileException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.lanes.nn.data.fetch.TestArchives.*;
import static org.junit.jupiter.api.Assertions.*;

class DatasetFetcherTest {
    private static final String[] MNIST_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    @TempDir
    Path dataDir;
    private LocalServer server;
    private Downloader downloader;
    private DatasetFetcher fetcher;
    private final Map<String, byte[]> plain = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = new LocalServer();
        downloader = new Downloader();
        fetcher = new DatasetFetcher(downloader);
        for (String name : MNIST_FILES) {
            plain.put(name, name.contains("images") ? idxImages(3) : idxLabels(3));
            server.put("/mnist/" + name + ".gz", gzip(plain.get(name)));
        }
    }

    @AfterEach
    void stop() {
        downloader.close();
        server.close();
    }

    /** The real MNIST source with every checksum replaced by that of the test files. */
    private FetchSource mnistForTest() {
        Map<String, String> sums = new HashMap<>();
        for (String name : MNIST_FILES) {
            sums.put(name + ".gz", sha256(gzip(plain.get(name))));
            sums.put(name, sha256(plain.get(name)));
        }
        return FetchSource.of("mnist").withChecksums(sums);
    }

    @Test
    void downloadsVerifiesAndTheReadersAcceptTheResult() throws IOException {
        Recorder rec = new Recorder();
        DatasetFetcher.Result r = fetcher.fetch(mnistForTest(), dataDir, server.base("mnist"), rec);
        assertEquals(4, r.downloaded());
        assertEquals(dataDir.resolve("mnist"), r.folder());
        for (String name : MNIST_FILES) {
            assertArrayEquals(gzip(plain.get(name)), Files.readAllBytes(dataDir.resolve("mnist/" + name + ".gz")));
        }
        assertEquals(4, rec.count("finished"));
        assertTrue(rec.count("progress") >= 4);
        Dataset train = Datasets.open("mnist", Split.TRAIN, dataDir);
        assertEquals(3, train.size());
        assertNoLeftovers(dataDir.resolve("mnist"));
    }

    @Test
    void filesAlreadyPresentAndValidAreNotDownloadedAgain() throws IOException {
        fetcher.fetch(mnistForTest(), dataDir, server.base("mnist"), FetchListener.SILENT);
        int served = server.requests();
        // A gunzipped copy counts too.
        Path folder = dataDir.resolve("mnist");
        Files.delete(folder.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.write(folder.resolve("t10k-labels-idx1-ubyte"), plain.get("t10k-labels-idx1-ubyte"));
        Recorder rec = new Recorder();
        DatasetFetcher.Result r = fetcher.fetch(mnistForTest(), dataDir, server.base("mnist"), rec);
        assertEquals(0, r.downloaded());
        assertEquals(4, r.present());
        assertEquals(served, server.requests());
        assertTrue(rec.lines.contains("present t10k-labels-idx1-ubyte"), rec.lines.toString());
    }

    @Test
    void aFileWithTheWrongChecksumIsRejectedAndNotKept() throws IOException {
        server.put("/mnist/train-labels-idx1-ubyte.gz", gzip(idxLabels(4)));
        IOException e = assertThrows(IOException.class,
                () -> fetcher.fetch(mnistForTest(), dataDir, server.base("mnist"), FetchListener.SILENT));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte.gz"), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("mnist/train-labels-idx1-ubyte.gz")));
        assertNoLeftovers(dataDir.resolve("mnist"));
    }

    @Test
    void aWrongDownloadDoesNotReplaceAnExistingFile() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("mnist"));
        Path target = folder.resolve("train-images-idx3-ubyte.gz");
        Files.write(target, new byte[] {1, 2, 3});
        server.put("/mnist/train-images-idx3-ubyte.gz", gzip(idxImages(5)));
        assertThrows(IOException.class,
                () -> fetcher.fetch(mnistForTest(), dataDir, server.base("mnist"), FetchListener.SILENT));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
    }

    @Test
    void anAbortedDownloadFailsAndLeavesNothing() throws IOException {
        server.putBroken("/mnist/train-images-idx3-ubyte.gz", gzip(idxImages(400)));
        IOException e = assertThrows(IOException.class,
                () -> fetcher.fetch(mnistForTest(), dataDir, server.base("mnist"), FetchListener.SILENT));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("broke off") || e.getMessage().contains("ended after"), e.getMessage());
        assertFalse(Files.exists(dataDir.resolve("mnist/train-images-idx3-ubyte.gz")));
        assertNoLeftovers(dataDir.resolve("mnist"));
    }

    @Test
    void aDamagedLocalCopyIsReplacedAndADamagedPlainTwinRemoved() throws IOException {
        Path folder = Files.createDirectories(dataDir.resolve("mnist"));
        Files.write(folder.resolve("train-labels-idx1-ubyte.gz"), new byte[] {9, 9});
        Files.write(folder.resolve("train-labels-idx1-ubyte"), new byte[] {9, 9});
        Recorder rec = new Recorder();
        fetcher.fetch(mnistForTest(), dataDir, server.base("mnist"), rec);
        assertArrayEquals(gzip(plain.get("train-labels-idx1-ubyte")),
                Files.readAllBytes(folder.resolve("train-labels-idx1-ubyte.gz")));
        assertFalse(Files.exists(folder.resolve("train-labels-idx1-ubyte")));
        assertTrue(rec.lines.stream().anyMatch(l -> l.startsWith("note removed")), rec.lines.toString());
    }

    @Test
    void networkFailuresAreIoErrorsNamingTheUrl() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        String dead = "http://127.0.0.1:" + port + "/mnist/";
        IOException e = assertThrows(IOException.class,
                () -> fetcher.fetch(mnistForTest(), dataDir, dead, FetchListener.SILENT));
        assertTrue(e.getMessage().startsWith("could not download " + dead), e.getMessage());
        IOException notFound = assertThrows(IOException.class,
                () -> fetcher.fetch(mnistForTest(), dataDir, server.base("nothing-here"), FetchListener.SILENT));
        assertTrue(notFound.getMessage().contains("HTTP 404"), notFound.getMessage());
    }

    @Test
    void cifarArchiveIsVerifiedUnpackedAndNotKept() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        Map<String, String> sums = new HashMap<>();
        for (FetchSource.ArchiveMember m : FetchSource.of("cifar10").files().get(0).members()) {
            // Only test_batch.bin is read back below, so only it needs the full 10,000 records.
            byte[] content = m.name().equals("test_batch.bin") ? cifarRecords(m.name()) : m.name().getBytes();
            members.put(m.entry(), content);
            sums.put(m.name(), sha256(content));
        }
        Map<String, byte[]> withExtra = new LinkedHashMap<>();
        withExtra.put("cifar-10-batches-bin/readme.html", "<html></html>".getBytes());
        withExtra.putAll(members);
        byte[] archive = gzip(tar(withExtra));
        sums.put("cifar-10-binary.tar.gz", sha256(archive));
        server.put("/kriz/cifar-10-binary.tar.gz", archive);
        FetchSource source = FetchSource.of("cifar10").withChecksums(sums);

        Recorder rec = new Recorder();
        DatasetFetcher.Result r = fetcher.fetch(source, dataDir, server.base("kriz"), rec);
        assertEquals(1, r.downloaded());
        assertEquals(7, r.extracted());
        Path folder = dataDir.resolve("cifar-10");
        assertArrayEquals(members.get("cifar-10-batches-bin/test_batch.bin"),
                Files.readAllBytes(folder.resolve("test_batch.bin")));
        assertFalse(Files.exists(folder.resolve("readme.html")), "only the listed members are unpacked");
        assertNoLeftovers(folder);
        try (Stream<Path> files = Files.list(folder)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("tar")), "the archive is not kept");
        }
        assertEquals(3, Datasets.open("cifar10", Split.TEST, dataDir, 3).size());

        int served = server.requests();
        assertEquals(0, fetcher.fetch(source, dataDir, server.base("kriz"), FetchListener.SILENT).downloaded());
        assertEquals(served, server.requests());
    }

    @Test
    void aCifarMemberWithTheWrongChecksumIsNotKept() throws IOException {
        Map<String, byte[]> members = new LinkedHashMap<>();
        Map<String, String> sums = new HashMap<>();
        for (FetchSource.ArchiveMember m : FetchSource.of("cifar10").files().get(0).members()) {
            members.put(m.entry(), new byte[] {1});
            sums.put(m.name(), sha256(new byte[] {2})); // no member will match
        }
        byte[] archive = gzip(tar(members));
        sums.put("cifar-10-binary.tar.gz", sha256(archive));
        server.put("/kriz/cifar-10-binary.tar.gz", archive);
        IOException e = assertThrows(IOException.class, () -> fetcher.fetch(
                FetchSource.of("cifar10").withChecksums(sums), dataDir, server.base("kriz"), FetchListener.SILENT));
        assertTrue(e.getMessage().contains("checksum mismatch for cifar-10-batches-bin/data_batch_1.bin"),
                e.getMessage());
        try (Stream<Path> files = Files.list(dataDir.resolve("cifar-10"))) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void tarReaderRejectsADamagedHeaderWithItsOffset() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("a.txt", new byte[700]);
        entries.put("b.txt", "hello".getBytes());
        byte[] tar = tar(entries);
        tar[1536 + 3] ^= 1; // second header starts after 512 + 1024 bytes
        TarReader reader = new TarReader(new ByteArrayInputStream(tar), Path.of("x.tar"));
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> {
            assertEquals("a.txt", reader.next().name());
            reader.next();
        });
        assertEquals(1536, e.offset());
    }

    @Test
    void tarReaderFollowsGnuLongNames() throws IOException {
        String longName = "d/".repeat(70) + "file.bin";
        byte[] name = (longName + "\0").getBytes();
        ByteBuffer b = ByteBuffer.allocate(512 * 4 + 1024);
        b.put(TestArchives.header("././@LongLink", name.length, 'L'));
        b.put(name);
        b.position(1024);
        b.put(TestArchives.header("truncated-name", 3, '0'));
        b.put(new byte[] {7, 8, 9});
        TarReader reader = new TarReader(new ByteArrayInputStream(b.array()), Path.of("x.tar"));
        TarReader.Entry e = reader.next();
        assertEquals(longName, e.name());
        assertArrayEquals(new byte[] {7, 8, 9}, reader.entryData().readAllBytes());
        assertNull(reader.next());
    }

    @Test
    void checksumFilesAndMirrorUrlsAreChecked(@TempDir Path tmp) throws IOException {
        Path sums = Files.writeString(tmp.resolve("SHA256SUMS"), "# test\n" + "a".repeat(64)
                + "  train-images-idx3-ubyte.gz\n" + "B".repeat(64) + " *sub/t10k-labels-idx1-ubyte.gz\n");
        Map<String, String> read = FetchSource.readChecksums(sums);
        assertEquals("a".repeat(64), read.get("train-images-idx3-ubyte.gz"));
        assertEquals("b".repeat(64), read.get("t10k-labels-idx1-ubyte.gz"));
        Files.writeString(sums, "not a sum line\n");
        assertThrows(IllegalArgumentException.class, () -> FetchSource.readChecksums(sums));
        assertEquals("https://m.example/x/", DatasetFetcher.checkBaseUrl("https://m.example/x"));
        assertThrows(IllegalArgumentException.class, () -> DatasetFetcher.checkBaseUrl("ftp://m.example/"));
        assertThrows(IllegalArgumentException.class, () -> DatasetFetcher.checkBaseUrl("not a url"));
        assertThrows(IllegalArgumentException.class, () -> FetchSource.of("synthetic-digits"));
    }

    @Test
    void defaultSourcesCarryThePublishedChecksums() {
        FetchSource mnist = FetchSource.of("mnist");
        assertEquals("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                mnist.files().get(0).sha256());
        assertTrue(mnist.baseUrl().startsWith("https://"));
        FetchSource.RemoteFile cifar = FetchSource.of("cifar10").files().get(0);
        assertEquals("cifar-10-binary.tar.gz", cifar.name());
        assertEquals(7, cifar.members().size());
        for (String name : Cifar10.files(Split.TRAIN)) {
            assertTrue(cifar.members().stream().anyMatch(m -> m.name().equals(name)), name);
        }
        for (FetchSource source : List.of(mnist, FetchSource.of("fashion-mnist"), FetchSource.of("cifar10"))) {
            for (FetchSource.RemoteFile f : source.files()) {
                assertTrue(f.sha256().matches("[0-9a-f]{64}"), f.name());
            }
        }
    }

    private static void assertNoLeftovers(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> files = Files.list(folder)) {
            List<String> parts = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".part")).toList();
            assertEquals(List.of(), parts, "temporary files left in " + folder);
        }
    }

    private static byte[] idxImages(int count) {
        ByteBuffer b = ByteBuffer.allocate(16 + count * 784);
        b.putInt(0x803).putInt(count).putInt(28).putInt(28);
        for (int i = 0; i < count * 784; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    private static byte[] idxLabels(int count) {
        ByteBuffer b = ByteBuffer.allocate(8 + count);
        b.putInt(0x801).putInt(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    /** A full-size CIFAR batch (10,000 records), mostly zeros, with labels depending on the file. */
    private static byte[] cifarRecords(String file) {
        byte[] out = new byte[Cifar10.RECORDS_PER_FILE * Cifar10.RECORD_BYTES];
        for (int r = 0; r < Cifar10.RECORDS_PER_FILE; r++) {
            out[r * Cifar10.RECORD_BYTES] = (byte) ((r + file.length()) % 10);
        }
        return out;
    }

    /** Records listener calls as "event file" lines. */
    private static final class Recorder implements FetchListener {
        final List<String> lines = new ArrayList<>();

        int count(String event) {
            return (int) lines.stream().filter(l -> l.startsWith(event + " ")).count();
        }

        @Override
        public void started(String file, java.net.URI from, long totalBytes) {
            lines.add("started " + file);
        }

        @Override
        public void progress(String file, long bytes, long totalBytes) {
            lines.add("progress " + file);
        }

        @Override
        public void finished(String file, long bytes, double seconds) {
            lines.add("finished " + file);
        }

        @Override
        public void present(String file) {
            lines.add("present " + file);
        }

        @Override
        public void extracted(String file) {
            lines.add("extracted " + file);
        }

        @Override
        public void note(String message) {
            lines.add("note " + message);
        }
    }
}
