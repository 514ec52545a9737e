package dev.lanes.nn.data.fetch;

import java.net.URI;

/** What a {@link DatasetFetcher} reports as it goes, for a progress display. */
public interface FetchListener {
    /** A download began; {@code totalBytes} is -1 when the server does not say. */
    void started(String file, URI from, long totalBytes);

    /** {@code bytes} of {@code file} have arrived (called often: throttle any display). */
    void progress(String file, long bytes, long totalBytes);

    /** A download completed and its SHA-256 matched. */
    void finished(String file, long bytes, double seconds);

    /** {@code file} is already in place with the right checksum, so it was not downloaded. */
    void present(String file);

    /** {@code file} was taken from a downloaded archive and its checksum matched. */
    void extracted(String file);

    /** Anything else worth a line. */
    void note(String message);

    /** A listener that reports nothing. */
    FetchListener SILENT = new FetchListener() {
        @Override
        public void started(String file, URI from, long totalBytes) {
        }

        @Override
        public void progress(String file, long bytes, long totalBytes) {
        }

        @Override
        public void finished(String file, long bytes, double seconds) {
        }

        @Override
        public void present(String file) {
        }

        @Override
        public void extracted(String file) {
        }

        @Override
        public void note(String message) {
        }
    };
}
