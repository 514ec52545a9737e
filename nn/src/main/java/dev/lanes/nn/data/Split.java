package dev.lanes.nn.data;

import java.util.Locale;

/** Which part of a data set: the training or the test images. */
public enum Split {
    TRAIN,
    TEST;

    /** {@code train} or {@code test}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code train} or {@code test} (any case). */
    public static Split parse(String s) {
        for (Split split : values()) {
            if (split.label().equalsIgnoreCase(s.trim())) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown split '" + s + "' (expected train or test)");
    }
}
