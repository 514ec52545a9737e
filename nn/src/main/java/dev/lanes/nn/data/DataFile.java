package dev.lanes.nn.data;

import dev.lanes.nn.io.CorruptFileException;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Sequential reading of a data file, plain or gzip-compressed (by its {@code .gz} name), that
 * knows its position in the (decompressed) stream, so every problem is reported as a
 * {@link CorruptFileException} with the file and byte offset. A plain file's real size is
 * known, so readers check declared sizes against it before allocating; a gzip file's content
 * size is not, so {@link #readBytes} grows its array as data actually arrives and a forged
 * header cannot make it allocate more than the data it delivers (about twice that at most), nor,
 * to start with, more than the 1032-fold of its size that deflate can expand to.
 */
final class DataFile implements Closeable {
    /** Largest array the JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int BUFFER = 1 << 16;
    private static final int FIRST_CHUNK = 1 << 22;
    /** The most a deflate stream expands: 258 bytes from a 2-bit length and distance code pair. */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private final Path path;
    private final boolean gzip;
    private final long fileSize;
    private final InputStream in;
    private long offset;

    private DataFile(Path path, boolean gzip, long fileSize, InputStream in) {
        this.path = path;
        this.gzip = gzip;
        this.fileSize = fileSize;
        this.in = in;
    }

    /**
     * The file {@code name} in {@code folder}, plain or with {@code .gz} (the plain one wins
     * when both exist: it is what a user made with {@code gunzip -k}), or null when neither exists.
     */
    static Path locate(Path folder, String name) {
        Path plain = folder.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = folder.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? gz : null;
    }

    static boolean isGzipName(Path path) {
        return path.getFileName().toString().endsWith(".gz");
    }

    static DataFile open(Path path) throws IOException {
        long size = Files.size(path);
        InputStream raw = new BufferedInputStream(Files.newInputStream(path), BUFFER);
        if (!isGzipName(path)) {
            return new DataFile(path, false, size, raw);
        }
        try {
            return new DataFile(path, true, size, new GZIPInputStream(raw, BUFFER));
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new CorruptFileException(path, 0, "not a valid gzip file (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    boolean compressed() {
        return gzip;
    }

    /** Bytes consumed so far (in the decompressed stream for gzip files). */
    long offset() {
        return offset;
    }

    /** The size of a plain file on disk; {@code -1} for gzip files, whose content size is unknown. */
    long knownSize() {
        return gzip ? -1 : fileSize;
    }

    CorruptFileException corrupt(long at, String problem) {
        return new CorruptFileException(path, at, problem);
    }

    /** A big-endian 32-bit integer. */
    int readInt(String what) throws IOException {
        byte[] b = new byte[4];
        readFully(b, 0, 4, what);
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    /** Reads exactly {@code len} bytes; a short file is reported as truncated at the offset where it ended. */
    void readFully(byte[] dst, int off, int len, String what) throws IOException {
        int done = 0;
        while (done < len) {
            int n = read(dst, off + done, len - done);
            if (n < 0) {
                throw corrupt(offset, "file ends while reading " + what + " (" + (len - done)
                        + " more bytes expected; truncated?)");
            }
            done += n;
        }
    }

    /**
     * Reads exactly {@code declared} bytes into a new array. For a gzip file the array starts
     * small and grows only as data arrives, so a header that declares gigabytes but a stream
     * that holds a few bytes fails as truncated without a large allocation.
     */
    byte[] readBytes(long declared, String what) throws IOException {
        if (declared < 0 || declared > MAX_ARRAY) {
            throw corrupt(offset, what + " would need " + declared + " bytes, more than one array can hold");
        }
        int total = (int) declared;
        if (!gzip) {
            if (offset + total > fileSize) {
                throw corrupt(fileSize, "file ends after " + fileSize + " bytes but " + what + " needs "
                        + (offset + total) + " (truncated?)");
            }
            byte[] out = new byte[total];
            readFully(out, 0, total, what);
            return out;
        }
        // Deflate expands at most 1032-fold, so the file's real size bounds what it can deliver.
        long canHold = Math.max(BUFFER, MAX_DEFLATE_RATIO * fileSize);
        byte[] out = new byte[(int) Math.min(total, Math.min(FIRST_CHUNK, canHold))];
        int filled = 0;
        while (filled < total) {
            if (filled == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(total, 2L * out.length));
            }
            int n = read(out, filled, out.length - filled);
            if (n < 0) {
                throw corrupt(offset, "file ends while reading " + what + " (" + (total - filled)
                        + " more bytes expected; truncated?)");
            }
            filled += n;
        }
        return out;
    }

    /** Fails unless the stream is at its end: extra bytes mean a wrong or damaged file. */
    void expectEnd(String after) throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        if (n > 0) {
            long extra = gzip ? -1 : fileSize - offset + 1;
            throw corrupt(offset - 1, "unexpected data after " + after
                    + (extra > 0 ? " (" + extra + " extra bytes)" : ""));
        }
    }

    private int read(byte[] dst, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(dst, off, len);
        } catch (ZipException e) {
            throw new CorruptFileException(path, offset, "gzip data is corrupt (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new CorruptFileException(path, offset, "gzip stream ends early (truncated?)", e);
        }
        if (n > 0) {
            offset += n;
        }
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
