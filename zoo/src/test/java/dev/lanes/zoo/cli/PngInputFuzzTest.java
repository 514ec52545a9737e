package dev.lanes.zoo.cli;

import dev.lanes.nn.io.ReaderFuzzTest;
import dev.lanes.nn.io.ReaderFuzzing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Fuzzes the image input of {@code lanes predict} (PNG, and whatever else ImageIO decodes). An
 * input is one mode byte and a body. Mode bit 0 set: the body is the whole file. Clear: the
 * body is a list of chunks, each a 4-byte type, a 2-byte length and the data, and the target
 * writes the PNG signature, the real lengths and valid CRC-32s, so that the fuzzer reaches the
 * decoder instead of failing every checksum. Bit 1: a grey (1 channel) or an RGB model input.
 * An image the reader accepts must come out as floats in [0, 1]; reading may allocate in
 * proportion to the pixels the file can honestly hold (1032 per byte), not to what it declares.
 */
class PngInputFuzzTest extends ReaderFuzzTest {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Override
    protected String target() {
        return "png";
    }

    @Override
    protected void check(byte[] input) throws Exception {
        if (input.length == 0) {
            return;
        }
        int mode = input[0] & 0xFF;
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        byte[] file = (mode & 1) != 0 ? body : withChunks(body);
        int channels = (mode & 2) != 0 ? 3 : 1;
        // An image may declare up to 1032 pixels per byte of file (deflate's limit): that much decoding is fair.
        ReaderFuzzing.read("digit.png", file, ImageInput.PIXELS_PER_BYTE * file.length, path -> {
            ImageInput.Pixels p = ImageInput.read(path, channels, 28, 28, null);
            if (p.data().length != channels * 28 * 28) {
                throw new AssertionError(p.data().length + " values for a " + channels + "x28x28 input");
            }
            for (float v : p.data()) {
                if (!(v >= 0f && v <= 1f)) {
                    throw new AssertionError("pixel value " + v + " outside [0, 1]");
                }
            }
        });
    }

    /** A PNG file from (type, 2-byte length, data) chunk records, with true lengths and CRCs. */
    static byte[] withChunks(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        CRC32 crc = new CRC32();
        int at = 0;
        while (at + 6 <= body.length) {
            int len = Math.min(((body[at + 4] & 0xFF) << 8) | (body[at + 5] & 0xFF), body.length - at - 6);
            ByteBuffer chunk = ByteBuffer.allocate(12 + len);
            chunk.putInt(len).put(body, at, 4).put(body, at + 6, len);
            crc.reset();
            crc.update(chunk.array(), 4, 4 + len);
            chunk.putInt((int) crc.getValue());
            out.writeBytes(chunk.array());
            at += 6 + len;
        }
        return out.toByteArray();
    }
}
