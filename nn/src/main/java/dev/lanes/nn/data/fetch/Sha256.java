package dev.lanes.nn.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** SHA-256 helpers: a fresh digest, hex, and the hash of a file or of a gzip file's content. */
final class Sha256 {
    private Sha256() {
    }

    static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }

    static String ofStream(InputStream in) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
        }
        return hex(md);
    }

    /** True when {@code file} exists and hashes to {@code expected} (decompressed first when {@code gunzip}). */
    static boolean matches(Path file, String expected, boolean gunzip) throws IOException {
        if (expected == null || !Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gunzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return ofStream(in).equalsIgnoreCase(expected);
        } catch (ZipException | java.io.EOFException e) {
            return false; // damaged gzip: not the file we want
        }
    }
}
