package dev.lanes.nn.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that Lanes reads (dataset, safetensors, checkpoint, image) is malformed. The message
 * names the file and the byte offset where reading went wrong, so a user can find the damage.
 * Every reader of outside bytes reports bad content with this type and no other.
 */
public class CorruptFileException extends IOException {
    private final Path file;
    private final long offset;

    public CorruptFileException(Path file, long offset, String problem) {
        super(file + " at byte " + offset + ": " + problem);
        this.file = file;
        this.offset = offset;
    }

    @SuppressWarnings("this-escape") // initCause on a half-built exception is harmless
    public CorruptFileException(Path file, long offset, String problem, Throwable cause) {
        this(file, offset, problem);
        initCause(cause);
    }

    public Path file() {
        return file;
    }

    /** Byte offset in the file (in the decompressed stream for gzip files) where the problem was found. */
    public long offset() {
        return offset;
    }
}
