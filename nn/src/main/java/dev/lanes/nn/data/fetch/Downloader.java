package dev.lanes.nn.data.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;

/**
 * Downloads a file over HTTP(S) with {@code java.net.http}, hashing it as it arrives. The bytes
 * go to a temporary file beside the target, which is renamed onto the target only when the
 * download is complete and its SHA-256 is the expected one; otherwise it is deleted, so a
 * wrong or broken download never takes the target's name.
 */
public final class Downloader implements AutoCloseable {
    private static final int BUFFER = 1 << 16;
    private final HttpClient client;

    public Downloader() {
        this(Duration.ofSeconds(30));
    }

    Downloader(Duration connectTimeout) {
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(connectTimeout)
                .build();
    }

    /** Downloads {@code url} to {@code target} (replaced atomically) if its SHA-256 is {@code sha256}. */
    public long download(URI url, Path target, String sha256, FetchListener listener) throws IOException {
        Path tmp = downloadToTemp(url, target.toAbsolutePath().getParent(), target.getFileName().toString(), sha256,
                listener);
        try {
            long size = Files.size(tmp);
            moveAtomically(tmp, target);
            return size;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Downloads {@code url} into a new temporary file in {@code dir} and verifies it; the caller
     * owns (and deletes) the returned file. Nothing is left behind on failure.
     */
    public Path downloadToTemp(URI url, Path dir, String name, String sha256, FetchListener listener)
            throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".part");
        boolean ok = false;
        try {
            long start = System.nanoTime();
            HttpResponse<InputStream> response = send(url);
            long total = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
            listener.started(name, url, total);
            MessageDigest md = Sha256.digest();
            long done = 0;
            try (InputStream in = response.body();
                    FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) >= 0; ) {
                    if (n == 0) {
                        continue;
                    }
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    md.update(buf, 0, n);
                    done += n;
                    listener.progress(name, done, total);
                }
                out.force(true);
            } catch (InterruptedIOException e) {
                throw e;
            } catch (IOException e) {
                throw new IOException("download of " + url + " broke off after " + done + " bytes"
                        + (total >= 0 ? " of " + total : "") + ": " + describe(e), e);
            }
            if (total >= 0 && done != total) {
                throw new IOException("download of " + url + " ended after " + done + " of " + total + " bytes");
            }
            String got = Sha256.hex(md);
            if (!got.equalsIgnoreCase(sha256)) {
                throw new IOException("checksum mismatch for " + url + ": its SHA-256 is " + got + ", expected "
                        + sha256 + "; the download was not kept");
            }
            listener.finished(name, done, (System.nanoTime() - start) / 1e9);
            ok = true;
            return tmp;
        } finally {
            if (!ok) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private HttpResponse<InputStream> send(URI url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofMinutes(2))
                .header("User-Agent", "lanes-fetch")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while downloading " + url);
        } catch (IOException e) {
            throw new IOException("could not download " + url + ": " + describe(e), e);
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("could not download " + url + ": the server answered HTTP " + response.statusCode());
        }
        return response;
    }

    /** Renames {@code from} onto {@code to} in one step where the file system allows it. */
    static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused or unreachable" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        if (e instanceof HttpTimeoutException) {
            return "timed out";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    @Override
    public void close() {
        client.close();
    }
}
