package dev.lanes.nn.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.stream.Stream;

/**
 * The frame of a reader's fuzz test: a subclass names its corpus and implements {@link #check}
 * with {@link ReaderFuzzing#read}. {@link #fuzz} is the Jazzer target (a subclass overrides it
 * only to add a dictionary); the kept corpus is replayed by {@link #corpus} in the normal test
 * run and seeds Jazzer's run. The 10-second {@code @Timeout} is Jazzer's limit per input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ReaderFuzzTest {
    /** The folder of the corpus under {@code testdata/fuzz/}. */
    protected abstract String target();

    /** Runs the reader on one input and fails on anything but acceptance or its documented error. */
    protected abstract void check(byte[] input) throws Exception;

    @Timeout(10)
    @FuzzTest(maxDuration = "2s")
    protected void fuzz(byte[] input) throws Exception {
        check(input);
    }

    @BeforeAll
    void seedJazzer() throws IOException {
        ReaderFuzzing.seedJazzer(target(), getClass(), "fuzz");
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        return ReaderFuzzing.replay(target(), this::check);
    }
}
