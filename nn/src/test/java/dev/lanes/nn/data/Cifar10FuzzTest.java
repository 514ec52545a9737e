package dev.lanes.nn.data;

import dev.lanes.nn.io.ReaderFuzzTest;
import dev.lanes.nn.io.ReaderFuzzing;

import java.util.Arrays;

/**
 * Fuzzes the CIFAR-10 batch reader. An input is one mode byte and the file's content. Mode bits
 * 0-1: how many records the caller reads (1 to 4; a batch file always holds 10,000, so a plain
 * file must be 30,730,000 bytes and small inputs test the size check, gzip ones the records);
 * bits 2-3: the content written as is (0, 3), gzip-compressed (1), or as is under a {@code .gz}
 * name (2: a damaged gzip stream).
 */
class Cifar10FuzzTest extends ReaderFuzzTest {
    @Override
    protected String target() {
        return "cifar10";
    }

    @Override
    protected void check(byte[] input) throws Exception {
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
