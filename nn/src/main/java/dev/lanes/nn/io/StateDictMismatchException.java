package dev.lanes.nn.io;

import java.util.List;

/** A state dict does not fit a module; the message lists every mismatch, one per line. */
public class StateDictMismatchException extends IllegalArgumentException {
    private final List<String> problems;

    public StateDictMismatchException(String source, List<String> problems) {
        super(source + " does not match the model (" + problems.size() + " problem"
                + (problems.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
