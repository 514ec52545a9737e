package dev.lanes.nn.io;

import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The rules every fuzz target of a reader of outside bytes enforces, and the replay of the kept
 * corpus. A reader given any bytes must return normally or throw {@link CorruptFileException}
 * naming the file it was given; anything else (another exception, an {@link Error} such as
 * OutOfMemoryError, a hang) is a bug. It must also not allocate much more than the bytes it was
 * given: declared sizes are checked against the real size before anything is allocated.
 *
 * <p>The corpus of a target lives in {@code testdata/fuzz/<target>/}: seeds made by hand and
 * inputs the fuzzer found (each one a past bug or a new coverage edge). {@link #replay} runs
 * them all in the normal suite; the Jazzer fuzz tests start from them.
 */
public final class ReaderFuzzing {
    /** Fixed allowance (stream buffers, JSON parser state) plus a multiple of the input. */
    static final long ALLOCATION_ALLOWANCE = 1L << 20;
    static final int ALLOCATION_PER_BYTE = 16;
    /** One input must be read in well under this; the fuzz tests' libFuzzer timeout is the same. */
    public static final Duration PER_INPUT = Duration.ofSeconds(10);

    private static final Path SCRATCH = scratchDirectory();

    private ReaderFuzzing() {
    }

    /** A reader under test: reads {@code file} and returns, or throws. */
    @FunctionalInterface
    public interface Reader {
        void read(Path file) throws Exception;
    }

    /** A fuzz target: the same function fuzzed by Jazzer and replayed from the corpus. */
    @FunctionalInterface
    public interface Target {
        void check(byte[] input) throws Exception;
    }

    /**
     * Writes {@code bytes} to a scratch file called {@code name} and reads it. {@code payload}
     * is the size of what the bytes stand for (the uncompressed content of a gzip file, else the
     * file size): the reader may allocate a fixed allowance plus a multiple of it, no more.
     *
     * @return true when the reader accepted the file, false when it reported it corrupt
     */
    public static boolean read(String name, byte[] bytes, long payload, Reader reader) throws IOException {
        Path file = SCRATCH.resolve(name);
        Files.write(file, bytes);
        long limit = ALLOCATION_ALLOWANCE + ALLOCATION_PER_BYTE * Math.max(payload, bytes.length);
        for (int attempt = 1; ; attempt++) {
            long classesBefore = loadedClasses();
            long before = allocatedBytes();
            boolean accepted = readOnce(name, file, reader);
            long allocated = allocatedBytes() - before;
            if (loadedClasses() != classesBefore && attempt < 3) {
                // Loading (and, under Jazzer, instrumenting) a class allocates on this thread:
                // read again, warm, to measure what the reader itself allocates.
                continue;
            }
            if (allocated > limit) {
                throw new AssertionError(name + ": reading " + bytes.length + " bytes (" + payload
                        + " of content) allocated " + allocated + " bytes, more than " + limit);
            }
            return accepted;
        }
    }

    private static boolean readOnce(String name, Path file, Reader reader) {
        try {
            reader.read(file);
            return true;
        } catch (CorruptFileException e) {
            if (!file.equals(e.file())) {
                throw new AssertionError("the error names " + e.file() + ", not the file read: " + e.getMessage(), e);
            }
            if (e.offset() < 0) {
                throw new AssertionError("negative offset: " + e.getMessage(), e);
            }
            return false;
        } catch (Exception e) {
            throw new AssertionError(name + ": " + e.getClass().getName() + " is not the reader's documented "
                    + "error type (CorruptFileException): " + e.getMessage(), e);
        }
    }

    /** The kept corpus of {@code target}, one dynamic test per file, each under {@link #PER_INPUT}. */
    public static Stream<DynamicTest> replay(String target, Target check) throws IOException {
        Path dir = corpus(target);
        if (!Files.isDirectory(dir)) {
            throw new AssertionError("no corpus for fuzz target " + target + " at " + dir);
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .sorted().toList().stream()
                    .map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), f.toUri(), () -> {
                        byte[] input = Files.readAllBytes(f);
                        assertTimeoutPreemptively(PER_INPUT, () -> check.check(input), () -> "hangs on " + f);
                    }));
        }
    }

    /** {@code testdata/fuzz/<target>} of the repository. */
    public static Path corpus(String target) {
        return repositoryRoot().resolve("testdata").resolve("fuzz").resolve(target);
    }

    /**
     * Copies the kept corpus into the folder where Jazzer's JUnit integration keeps the corpus
     * it generates for a fuzz test ({@code .cifuzz-corpus/<class>/<method>} under the working
     * directory), so that fuzzing starts from it. Call from {@code @BeforeAll}; does nothing
     * unless Jazzer fuzzes in this JVM ({@code JAZZER_FUZZ} set).
     */
    public static void seedJazzer(String target, Class<?> testClass, String method) throws IOException {
        if (System.getenv("JAZZER_FUZZ") == null) {
            return;
        }
        Path generated = Paths.get(".cifuzz-corpus", testClass.getName(), method);
        Files.createDirectories(generated);
        try (Stream<Path> files = Files.list(corpus(target))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = generated.resolve(f.getFileName());
                if (!Files.exists(to)) {
                    Files.copy(f, to);
                }
            }
        }
    }

    /** The folder holding the parent pom.xml and the {@code lanes} launcher, found upwards from the working directory. */
    static Path repositoryRoot() {
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("lanes")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + Paths.get("").toAbsolutePath());
    }

    private static long loadedClasses() {
        return ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A private folder for the files under test, in memory (/dev/shm) when the machine has it. */
    private static Path scratchDirectory() {
        try {
            Path shm = Paths.get("/dev/shm");
            Path dir = Files.isDirectory(shm) && Files.isWritable(shm)
                    ? Files.createTempDirectory(shm, "lanes-fuzz-") : Files.createTempDirectory("lanes-fuzz-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir)));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
