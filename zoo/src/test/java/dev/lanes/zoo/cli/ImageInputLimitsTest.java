package dev.lanes.zoo.cli;

import dev.lanes.nn.io.CorruptFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.*;

/** The image input checks the size an image declares before decoding it. */
class ImageInputLimitsTest {
    @TempDir
    Path tmp;

    /**
     * A grey 8-bit PNG of {@code w x h} declared pixels whose data is {@code rows} rows, of zeros
     * or of noise (which does not compress: the file is as large as its pixels).
     */
    private Path png(String name, int w, int h, int rows, boolean noise) throws IOException {
        byte[] raw = new byte[rows * (1 + w)];
        if (noise) {
            new java.util.SplittableRandom(1).nextBytes(raw);
            for (int r = 0; r < rows; r++) {
                raw[r * (1 + w)] = 0; // filter type: none
            }
        }
        Deflater d = new Deflater(noise ? 1 : 9);
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            idat.write(buf, 0, d.deflate(buf));
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(record("IHDR", ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array()));
        byte[] data = idat.toByteArray();
        for (int at = 0; at < data.length; at += 65_535) { // chunk records hold at most 65,535 bytes
            body.writeBytes(record("IDAT", java.util.Arrays.copyOfRange(data, at, Math.min(data.length, at + 65_535))));
        }
        body.writeBytes(record("IEND", new byte[0]));
        return Files.write(tmp.resolve(name), PngInputFuzzTest.withChunks(body.toByteArray()));
    }

    private static byte[] record(String type, byte[] data) {
        return ByteBuffer.allocate(6 + data.length).put(type.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .putShort((short) data.length).put(data).array();
    }

    @Test
    void aSmallFileDeclaringAHugeImageIsRefusedBeforeDecoding() throws IOException {
        Path bomb = png("bomb.png", 20_000, 20_000, 2, false);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> ImageInput.read(bomb, 1, 28, 28, null));
        assertEquals(16, e.offset(), "the width and height in the IHDR chunk");
        assertTrue(e.getMessage().contains("20000x20000") && e.getMessage().contains("per byte"), e.getMessage());
    }

    @Test
    void moreThanThePixelCapIsRefusedWhateverTheFileSize() throws IOException {
        // 4097 x 4097 pixels of noise: a 16 MB file, far within 1032 pixels per byte, just over the cap.
        Path big = png("big.png", 4097, 4097, 4097, true);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> ImageInput.read(big, 1, 28, 28, null));
        assertTrue(e.getMessage().contains("4097x4097 pixels, more than 16777216 ("), e.getMessage());
    }

    @Test
    void aLargeButHonestImageIsRead() throws IOException {
        Path ok = png("ok.png", 600, 400, 400, false);
        ImageInput.Pixels p = ImageInput.read(ok, 1, 28, 28, false);
        assertEquals(28 * 28, p.data().length);
        for (float v : p.data()) {
            assertEquals(0f, v, 1e-6f, "a black image stays black");
        }
    }
}
