package dev.lanes.nn.data.fetch;

import dev.lanes.nn.io.CorruptFileException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Puts a real data set into the data directory: downloads every file that is not already
 * there with the right SHA-256, verifies each download before it takes its name, and unpacks
 * archives (CIFAR-10's {@code cifar-10-binary.tar.gz}, which is verified, then unpacked
 * member by member into plain {@code .bin} files, each verified again; the archive is not kept).
 * A file counts as present when it, or its {@code gunzip}ped twin, or for archive members its
 * {@code .gz} twin, has the published content.
 */
public final class DatasetFetcher {
    private final Downloader downloader;

    public DatasetFetcher(Downloader downloader) {
        this.downloader = downloader;
    }

    /** How a fetch went: files downloaded, found already in place, and taken from archives. */
    public record Result(Path folder, int downloaded, int present, int extracted) {
    }

    /**
     * Fetches {@code source} into {@code dataDir/source.folder()}.
     *
     * @param baseUrl the base URL to use instead of the source's default (a mirror), or null
     */
    public Result fetch(FetchSource source, Path dataDir, String baseUrl, FetchListener listener) throws IOException {
        Path folder = dataDir.resolve(source.folder()).toAbsolutePath().normalize();
        Files.createDirectories(folder);
        String base = checkBaseUrl(baseUrl == null ? source.baseUrl() : baseUrl);
        int[] counts = new int[3];
        for (FetchSource.RemoteFile file : source.files()) {
            if (file.isArchive()) {
                fetchArchive(file, folder, base, listener, counts);
            } else {
                fetchFile(file, folder, base, listener, counts);
            }
        }
        return new Result(folder, counts[0], counts[1], counts[2]);
    }

    /**
     * {@code url} with a trailing slash, if it is an absolute http or https URL.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String checkBaseUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (!uri.isAbsolute() || uri.getHost() == null
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL: " + e.getReason());
        }
        return url.endsWith("/") ? url : url + "/";
    }

    private void fetchFile(FetchSource.RemoteFile file, Path folder, String base, FetchListener listener, int[] counts)
            throws IOException {
        Path target = folder.resolve(file.name());
        Path plain = folder.resolve(file.plainName());
        boolean hasTwin = !plain.equals(target);
        if (Sha256.matches(target, file.sha256(), false)) {
            listener.present(file.name());
            counts[1]++;
            return;
        }
        if (hasTwin && Sha256.matches(plain, file.plainSha256(), false)) {
            listener.present(file.plainName());
            counts[1]++;
            return;
        }
        downloader.download(URI.create(base + file.name()), target, file.sha256(), listener);
        counts[0]++;
        if (hasTwin && Files.exists(plain)) {
            // Readers take the plain file before the .gz, so a damaged plain copy would hide the download.
            Files.delete(plain);
            listener.note("removed " + plain + ": its content did not match the published checksum");
        }
    }

    private void fetchArchive(FetchSource.RemoteFile file, Path folder, String base, FetchListener listener,
            int[] counts) throws IOException {
        Map<String, FetchSource.ArchiveMember> needed = new LinkedHashMap<>();
        for (FetchSource.ArchiveMember m : file.members()) {
            if (Sha256.matches(folder.resolve(m.name()), m.sha256(), false)
                    || Sha256.matches(folder.resolve(m.name() + ".gz"), m.sha256(), true)) {
                listener.present(m.name());
                counts[1]++;
            } else {
                needed.put(m.entry(), m);
            }
        }
        if (needed.isEmpty()) {
            return;
        }
        Path archive = downloader.downloadToTemp(URI.create(base + file.name()), folder, file.name(), file.sha256(),
                listener);
        counts[0]++;
        Path shownAs = folder.resolve(file.name());
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16),
                1 << 16)) {
            TarReader tar = new TarReader(in, shownAs);
            for (TarReader.Entry e = tar.next(); e != null && !needed.isEmpty(); e = tar.next()) {
                FetchSource.ArchiveMember m = needed.get(stripDotSlash(e.name()));
                if (m == null || !e.isFile()) {
                    continue;
                }
                extract(tar.entryData(), folder, m, file.name());
                needed.remove(m.entry());
                listener.extracted(m.name());
                counts[2]++;
            }
        } catch (ZipException | EOFException e) {
            throw new CorruptFileException(shownAs, 0, "the archive's gzip data is damaged (" + e.getMessage() + ")", e);
        } finally {
            Files.deleteIfExists(archive);
        }
        if (!needed.isEmpty()) {
            throw new IOException(file.name() + " has no entry " + needed.keySet().iterator().next());
        }
        for (FetchSource.ArchiveMember m : file.members()) {
            Path gz = folder.resolve(m.name() + ".gz");
            if (Files.exists(gz) && !Sha256.matches(gz, m.sha256(), true)) {
                listener.note("note: " + gz + " does not match the published content; " + m.name() + " is read instead");
            }
        }
    }

    /** Copies one archive entry to a temporary file, checks its SHA-256, then renames it into place. */
    private static void extract(InputStream data, Path folder, FetchSource.ArchiveMember m, String archiveName)
            throws IOException {
        Path tmp = Files.createTempFile(folder, "." + m.name() + ".", ".part");
        try {
            MessageDigest md = Sha256.digest();
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = data.read(buf)) >= 0; ) {
                    ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                    while (bb.hasRemaining()) {
                        out.write(bb);
                    }
                    md.update(buf, 0, n);
                }
                out.force(true);
            }
            String got = Sha256.hex(md);
            if (!got.equalsIgnoreCase(m.sha256())) {
                throw new IOException("checksum mismatch for " + m.entry() + " in " + archiveName + ": its SHA-256 is "
                        + got + ", expected " + m.sha256() + "; it was not kept");
            }
            Downloader.moveAtomically(tmp, folder.resolve(m.name()));
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String stripDotSlash(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }
}
