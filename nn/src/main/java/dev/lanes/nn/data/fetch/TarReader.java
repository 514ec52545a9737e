package dev.lanes.nn.data.fetch;

import dev.lanes.nn.io.CorruptFileException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads the entries of a tar stream (POSIX ustar, with GNU long names and pax {@code path}
 * records), enough to unpack the CIFAR-10 archive without an external tool. Each header's
 * checksum is verified; damage is reported as a {@link CorruptFileException} at the byte
 * offset in the (decompressed) tar stream.
 */
final class TarReader {
    private static final int BLOCK = 512;

    private final InputStream in;
    private final Path archive;
    private final byte[] header = new byte[BLOCK];
    private long offset;
    private long remaining;
    private long padding;

    /** One entry: its path, its size and whether it is a regular file. */
    record Entry(String name, long size, boolean isFile) {
    }

    TarReader(InputStream in, Path archive) {
        this.in = in;
        this.archive = archive;
    }

    /** The next entry, or null at the end of the archive; skips what is left of the previous one. */
    Entry next() throws IOException {
        String longName = null;
        while (true) {
            skip(remaining + padding);
            remaining = 0;
            padding = 0;
            long at = offset;
            if (!readBlock(header)) {
                return null; // end of stream without the zero blocks: tolerated, as GNU tar does
            }
            if (isZero(header)) {
                return null;
            }
            verifyChecksum(at);
            long size = parseSize(at);
            char type = (char) header[156];
            String name = longName != null ? longName : headerName();
            longName = null;
            remaining = size;
            padding = (BLOCK - size % BLOCK) % BLOCK;
            if (type == 'L') {
                longName = cString(readAll(at, size), 0, (int) size);
                continue;
            }
            if (type == 'x') {
                String path = paxPath(readAll(at, size));
                if (path != null) {
                    longName = path;
                }
                continue;
            }
            if (type == 'g') {
                continue;
            }
            return new Entry(name, size, type == '0' || type == 0);
        }
    }

    /** The data of the current entry; reading past its end returns -1. */
    InputStream entryData() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, remaining));
                if (n < 0) {
                    throw new CorruptFileException(archive, offset, "tar archive ends inside an entry (truncated?)");
                }
                offset += n;
                remaining -= n;
                return n;
            }
        };
    }

    private byte[] readAll(long at, long size) throws IOException {
        if (size > 1 << 20) {
            throw new CorruptFileException(archive, at, "tar metadata entry of " + size + " bytes is implausibly large");
        }
        byte[] data = entryData().readNBytes((int) size);
        if (data.length != size) {
            throw new CorruptFileException(archive, offset, "tar archive ends inside an entry (truncated?)");
        }
        return data;
    }

    private boolean readBlock(byte[] block) throws IOException {
        int done = 0;
        while (done < BLOCK) {
            int n = in.read(block, done, BLOCK - done);
            if (n < 0) {
                if (done == 0) {
                    return false;
                }
                throw new CorruptFileException(archive, offset + done, "tar archive ends inside a header (truncated?)");
            }
            done += n;
        }
        offset += BLOCK;
        return true;
    }

    private void skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) {
                throw new CorruptFileException(archive, offset, "tar archive ends inside an entry (truncated?)");
            }
            offset += r;
            n -= r;
        }
    }

    private void verifyChecksum(long at) throws CorruptFileException {
        long stored = parseOctal(at, 148, 8, "header checksum");
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xFF;
        }
        if (sum != stored) {
            throw new CorruptFileException(archive, at, "tar header checksum is " + stored + " but the header sums to "
                    + sum + " (not a tar archive, or damaged)");
        }
    }

    private long parseSize(long at) throws CorruptFileException {
        if ((header[124] & 0x80) != 0) { // GNU base-256 for sizes of 8 GiB and more
            long v = header[124] & 0x7F;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xFF);
            }
            if (v < 0) {
                throw new CorruptFileException(archive, at + 124, "negative tar entry size");
            }
            return v;
        }
        return parseOctal(at, 124, 12, "entry size");
    }

    private long parseOctal(long at, int from, int len, String what) throws CorruptFileException {
        long v = 0;
        int i = from;
        int end = from + len;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
            int d = header[i] - '0';
            if (d < 0 || d > 7) {
                throw new CorruptFileException(archive, at + i, "tar " + what + " is not an octal number");
            }
            v = v * 8 + d;
        }
        return v;
    }

    private String headerName() {
        String name = cString(header, 0, 100);
        boolean ustar = header[257] == 'u' && header[258] == 's' && header[259] == 't' && header[260] == 'a'
                && header[261] == 'r';
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] b, int from, int max) {
        int end = from;
        while (end < from + max && b[end] != 0) {
            end++;
        }
        return new String(b, from, end - from, StandardCharsets.UTF_8);
    }

    /** The {@code path} of a pax extended header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        for (String record : text.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 6);
            }
        }
        return null;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }
}
