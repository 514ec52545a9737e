package dev.lanes.nn.data;

import java.nio.file.NoSuchFileException;

/**
 * A real data set's file is not in the data directory. The message names the file and says how
 * to get the data. A {@link NoSuchFileException}, so the CLI reports it as bad input (exit 2).
 */
public class DatasetMissingException extends NoSuchFileException {
    private final String dataset;

    public DatasetMissingException(String dataset, String file, String reason) {
        super(file, null, reason);
        this.dataset = dataset;
    }

    /** The registry name of the data set ({@code mnist}, ...). */
    public String dataset() {
        return dataset;
    }
}
