package dev.lanes.nn.data;

import dev.lanes.nn.io.ReaderFuzzTest;
import dev.lanes.nn.io.ReaderFuzzing;

import java.util.Arrays;

/**
 * Fuzzes the IDX reader (MNIST, Fashion-MNIST), plain and gzip. An input is one mode byte and
 * the file's content. Mode bit 0: images (1) or labels (0); bits 1-2: the content written as is
 * (0, 3), gzip-compressed (1), or written as is under a {@code .gz} name (2: a damaged gzip
 * stream); bits 3-4: the read limit (all, 0, 1, 3 samples); bits 5-7: the image side the caller
 * expects, 1 to 8 pixels (the reader's checks do not depend on the size, small sides let
 * the fuzzer build whole files).
 */
class IdxFuzzTest extends ReaderFuzzTest {
    @Override
    protected String target() {
        return "idx";
    }

    @Override
    protected void check(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int mode = input[0] & 0xFF;
        boolean images = (mode & 1) != 0;
        int storage = (mode >> 1) & 3;
        int limit = new int[] {-1, 0, 1, 3}[(mode >> 3) & 3];
        int side = 1 + (mode >> 5);
        byte[] content = Arrays.copyOfRange(input, 1, input.length);
        boolean gzName = storage == 1 || storage == 2;
        byte[] bytes = storage == 1 ? TestFiles.gzip(content) : content;
        String name = (images ? "images" : "labels") + (gzName ? ".gz" : "");
        ReaderFuzzing.read(name, bytes, content.length, file -> {
            if (images) {
                IdxReader.Images read = IdxReader.readImages(file, side, side, -1, file, limit);
                if (read.pixels().length != read.count() * side * side) {
                    throw new AssertionError(read.count() + " images but " + read.pixels().length + " pixels");
                }
            } else {
                IdxReader.Labels read = IdxReader.readLabels(file, 10, limit);
                for (byte b : read.labels()) {
                    if ((b & 0xFF) >= 10) {
                        throw new AssertionError("label " + (b & 0xFF) + " accepted");
                    }
                }
            }
        });
    }
}
