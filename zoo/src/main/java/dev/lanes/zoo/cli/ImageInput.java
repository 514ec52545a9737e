package dev.lanes.zoo.cli;

import dev.lanes.nn.io.CorruptFileException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.CRC32;

/**
 * Reads an image file (PNG, or any format ImageIO reads) into a model's input: grey levels or
 * RGB, resized to the data set's height and width, pixels in [0, 1] channel-major, like the
 * data sets' images. A PNG's chunk structure and checksums are checked first, so a damaged
 * file is reported with the byte offset of the damage; every failure to decode is a
 * {@link CorruptFileException} naming the file.
 */
final class ImageInput {
    /** The largest file read (a 28x28 digit needs a few hundred bytes). */
    static final long MAX_BYTES = 64L << 20;
    /** The most pixels an image may declare (4096 x 4096): a photo fits, a decompression bomb does not. */
    static final long MAX_PIXELS = 1L << 24;
    /** Pixels per byte of the file an image may declare: deflate (PNG) expands at most 1032-fold. */
    static final long PIXELS_PER_BYTE = 1032;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private ImageInput() {
    }

    /** What was read: the pixels and whether they were inverted (dark strokes on a light ground). */
    record Pixels(float[] data, boolean inverted) {
    }

    /**
     * The image at {@code file} as {@code channels x height x width} floats in [0, 1]. With
     * {@code invert} null, grey images whose border is mostly light are inverted (MNIST-style
     * data is light on dark); true or false forces it.
     */
    static Pixels read(Path file, int channels, int height, int width, Boolean invert) throws IOException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new CorruptFileException(file, 0, "the image has " + size + " bytes, more than the " + MAX_BYTES
                    + "-byte limit");
        }
        byte[] bytes = Files.readAllBytes(file);
        if (startsWith(bytes, PNG_SIGNATURE)) {
            checkPng(file, bytes);
        }
        BufferedImage img = decode(file, bytes);
        if (img.getWidth() < 1 || img.getHeight() < 1) {
            throw new CorruptFileException(file, 0, "the image is empty");
        }
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            // area averaging: a large photo of a digit shrinks to 28x28 without aliasing
            g.drawImage(img.getScaledInstance(width, height, Image.SCALE_AREA_AVERAGING), 0, 0, null);
        } finally {
            g.dispose();
        }
        float[] out = new float[channels * height * width];
        int plane = height * width;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = scaled.getRGB(x, y);
                float r = ((rgb >> 16) & 0xff) / 255f, gr = ((rgb >> 8) & 0xff) / 255f, b = (rgb & 0xff) / 255f;
                int at = y * width + x;
                if (channels == 1) {
                    out[at] = 0.299f * r + 0.587f * gr + 0.114f * b;
                } else {
                    out[at] = r;
                    out[plane + at] = gr;
                    out[2 * plane + at] = b;
                    for (int c = 3; c < channels; c++) {
                        out[c * plane + at] = out[at];
                    }
                }
            }
        }
        boolean flip = invert != null ? invert : channels == 1 && borderMean(out, height, width) > 0.5f;
        if (flip) {
            for (int i = 0; i < out.length; i++) {
                out[i] = 1f - out[i];
            }
        }
        return new Pixels(out, flip);
    }

    /**
     * Decodes the first image of {@code bytes} after checking the size its header declares
     * against {@link #MAX_PIXELS} and against the file's real size, so that a small file cannot
     * make the decoder allocate a huge raster.
     */
    private static BufferedImage decode(Path file, byte[] bytes) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new CorruptFileException(file, 0, "not an image in a format Java reads (PNG, JPEG, GIF, BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0), height = reader.getHeight(0);
                long most = Math.min(MAX_PIXELS, PIXELS_PER_BYTE * bytes.length);
                if (width * height > most) {
                    throw new CorruptFileException(file, startsWith(bytes, PNG_SIGNATURE) ? 16 : 0, "the image declares "
                            + width + "x" + height + " pixels, more than " + most + " (at most " + MAX_PIXELS
                            + ", and " + PIXELS_PER_BYTE + " per byte of a " + bytes.length + "-byte file)");
                }
                BufferedImage img = reader.read(0);
                if (img == null) {
                    throw new CorruptFileException(file, 0, "the file holds no image");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (CorruptFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(file, 0, "the image cannot be decoded: " + e.getMessage(), e);
        }
    }

    private static float borderMean(float[] grey, int height, int width) {
        double sum = 0;
        int n = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (y == 0 || x == 0 || y == height - 1 || x == width - 1) {
                    sum += grey[y * width + x];
                    n++;
                }
            }
        }
        return (float) (sum / n);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Walks the PNG chunks: lengths within the file, CRC-32 of each chunk, IHDR first, IEND last. */
    static void checkPng(Path file, byte[] b) throws CorruptFileException {
        ByteBuffer buf = ByteBuffer.wrap(b);
        int at = PNG_SIGNATURE.length;
        boolean first = true;
        CRC32 crc = new CRC32();
        while (true) {
            if (at + 8 > b.length) {
                throw new CorruptFileException(file, at, "the PNG ends before its IEND chunk (truncated file)");
            }
            long length = Integer.toUnsignedLong(buf.getInt(at));
            String type = new String(b, at + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE || at + 12 + length > b.length) {
                throw new CorruptFileException(file, at, "PNG chunk '" + printable(type) + "' of " + length
                        + " bytes goes beyond the end of the file (" + b.length + " bytes)");
            }
            if (first && !"IHDR".equals(type)) {
                throw new CorruptFileException(file, at, "the PNG does not start with an IHDR chunk");
            }
            first = false;
            crc.reset();
            crc.update(b, at + 4, 4 + (int) length);
            long want = Integer.toUnsignedLong(buf.getInt(at + 8 + (int) length));
            if (crc.getValue() != want) {
                throw new CorruptFileException(file, at, "PNG chunk '" + printable(type) + "' fails its CRC-32 check "
                        + "(damaged file)");
            }
            at += 12 + (int) length;
            if ("IEND".equals(type)) {
                return;
            }
        }
    }

    private static String printable(String s) {
        return s.chars().allMatch(c -> c >= 32 && c < 127) ? s : "?";
    }
}
