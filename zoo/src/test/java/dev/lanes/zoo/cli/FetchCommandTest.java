package dev.lanes.zoo.cli;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/** {@code lanes fetch} end to end against an HTTP server on 127.0.0.1 serving files the test makes. */
class FetchCommandTest {
    private static final String[] FILES = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
        "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"};

    @TempDir
    Path tmp;
    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private Path sums;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] data = served.get(ex.getRequestURI().getPath());
            try (ex) {
                ex.sendResponseHeaders(data == null ? 404 : 200, data == null ? -1 : data.length);
                if (data != null) {
                    ex.getResponseBody().write(data);
                }
            }
        });
        server.start();
        StringBuilder lines = new StringBuilder();
        for (String name : FILES) {
            byte[] gz = gzip(name.contains("images") ? idx(0x803, 2, 28, 28) : idx(0x801, 2));
            served.put("/mnist/" + name, gz);
            lines.append(sha256(gz)).append("  ").append(name).append('\n');
        }
        sums = Files.writeString(tmp.resolve("SHA256SUMS"), lines);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String mirror() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/mnist/";
    }

    private int run(String... args) {
        return LanesCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void fetchesVerifiesAndThenSkipsPresentFiles() throws IOException {
        Path data = tmp.resolve("data");
        int code = run("fetch", "mnist", "--data-dir", data.toString(), "--mirror", mirror(), "--checksums",
                sums.toString());
        assertEquals(0, code, err.toString());
        for (String name : FILES) {
            assertArrayEquals(served.get("/mnist/" + name), Files.readAllBytes(data.resolve("mnist").resolve(name)));
        }
        assertTrue(out.toString().contains("mnist is ready in " + data.resolve("mnist")), out.toString());
        assertTrue(out.toString().contains("SHA-256 verified"), out.toString());

        out.getBuffer().setLength(0);
        assertEquals(0, run("fetch", "mnist", "--data-dir", data.toString(), "--mirror", mirror(), "--checksums",
                sums.toString()));
        assertTrue(out.toString().contains("0 downloaded, 4 already present"), out.toString());
    }

    @Test
    void aWrongChecksumFailsWithExitOneAndKeepsNothing() throws IOException {
        served.put("/mnist/t10k-images-idx3-ubyte.gz", gzip(idx(0x803, 3, 28, 28)));
        Path data = tmp.resolve("data");
        int code = run("fetch", "mnist", "--data-dir", data.toString(), "--mirror", mirror(), "--checksums",
                sums.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("lanes: checksum mismatch for " + mirror() + "t10k-images-idx3-ubyte.gz"),
                err.toString());
        assertFalse(Files.exists(data.resolve("mnist/t10k-images-idx3-ubyte.gz")));
        assertEquals(1, err.toString().lines().count(), "one clear line, no stack trace: " + err);
    }

    @Test
    void theRealChecksumsRejectOtherBytes() {
        // Without --checksums the published sums apply, and the test server's files are not MNIST.
        int code = run("fetch", "mnist", "--data-dir", tmp.resolve("data").toString(), "--mirror", mirror());
        assertEquals(1, code);
        assertTrue(err.toString().contains("expected 440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
                err.toString());
    }

    @Test
    void networkFailureIsExitOneWithAClearLine() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        int code = run("fetch", "fashion-mnist", "--data-dir", tmp.resolve("data").toString(), "--mirror",
                "http://127.0.0.1:" + port + "/");
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("lanes: could not download http://127.0.0.1:" + port
                + "/train-images-idx3-ubyte.gz"), err.toString());
    }

    @Test
    void badArgumentsAreExitTwo() {
        Map<String[], String> cases = new LinkedHashMap<>();
        cases.put(new String[] {"fetch", "imagenet"}, "unknown data set 'imagenet'");
        cases.put(new String[] {"fetch", "synthetic-digits"}, "needs no download");
        cases.put(new String[] {"fetch", "mnist", "--mirror", "ftp://example.org/"}, "--mirror");
        cases.put(new String[] {"fetch"}, "DATASET");
        cases.put(new String[] {"fetch", "mnist", "--checksums", tmp.resolve("absent").toString()}, "absent");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            err.getBuffer().setLength(0);
            assertEquals(2, run(c.getKey()), String.join(" ", c.getKey()));
            assertTrue(err.toString().contains(c.getValue()), String.join(" ", c.getKey()) + ": " + err);
        }
    }

    @Test
    void fetchIsASubcommandWithHelp() {
        assertEquals(0, run("fetch", "--help"));
        assertTrue(out.toString().contains("--mirror") && out.toString().contains("--data-dir"), out.toString());
        assertFalse(out.toString().contains("--checksums"), "test-only option stays hidden");
    }

    private static byte[] idx(int magic, int count, int... dims) {
        int size = 8 + 4 * dims.length + count * (dims.length == 0 ? 1 : dims[0] * dims[1]);
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(magic).putInt(count);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
