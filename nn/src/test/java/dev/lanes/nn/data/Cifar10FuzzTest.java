package dev.lanes.nn.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.lanes.nn.io.ReaderFuzzing;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Fuzzes the CIFAR-10 batch reader. An input is one mode byte and the file's content. Mode bits
 * 0-1: how many records the caller reads (1 to 4; a batch file always holds 10,000, so a plain
 * file must be 30,730,000 bytes and small inputs test the size check, gzip ones the records);
 * bits 2-3: the content written as is (0, 3), gzip-compressed (1), or as is under a {@code .gz}
 * name (2: a damaged gzip stream).
 */
class Cifar10FuzzTest {
    static final String TARGET = "cifar10";

    @BeforeAll
    static void seed() throws IOException {
        ReaderFuzzing.seedJazzer(TARGET, Cifar10FuzzTest.class, "fuzz");
    }

    @Timeout(10)
    @FuzzTest(maxDuration = "2s")
    void fuzz(byte[] input) throws Exception {
        check(input);
    }

    @TestFactory
    Stream<DynamicTest> corpus() throws IOException {
        return ReaderFuzzing.replay(TARGET, Cifar10FuzzTest::check);
    }

    static void check(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int mode = input[0] & 0xFF;
        int count = 1 + (mode & 3);
        int storage = (mode >> 2) & 3;
        byte[] content = Arrays.copyOfRange(input, 1, input.length);
        boolean gzName = storage == 1 || storage == 2;
        byte[] bytes = storage == 1 ? TestFiles.gzip(content) : content;
        byte[] pixels = new byte[count * Cifar10.IMAGE_BYTES];
        byte[] labels = new byte[count];
        ReaderFuzzing.read("test_batch.bin" + (gzName ? ".gz" : ""), bytes, content.length, file -> {
            Cifar10.readBatch(file, pixels, labels, 0, count);
            for (byte b : labels) {
                if ((b & 0xFF) >= Cifar10.CLASS_NAMES.size()) {
                    throw new AssertionError("label " + (b & 0xFF) + " accepted");
                }
            }
        });
    }
}
