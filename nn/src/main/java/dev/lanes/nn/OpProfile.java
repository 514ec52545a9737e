package dev.lanes.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Time per op kind, summed over the tapes it is attached to ({@link Tape#profile}). The forward
 * time of an op is measured from the previous op's result to its own, so code run between ops
 * (outside the tape) counts toward the next op; backward times are measured exactly.
 */
public final class OpProfile {
    /** Totals of one op kind. */
    public static final class Entry {
        long forwardNanos;
        long backwardNanos;
        long calls;

        public long forwardNanos() {
            return forwardNanos;
        }

        public long backwardNanos() {
            return backwardNanos;
        }

        public long calls() {
            return calls;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    void addForward(String op, long nanos) {
        Entry e = entries.computeIfAbsent(op, k -> new Entry());
        e.forwardNanos += nanos;
        e.calls++;
    }

    void addBackward(String op, long nanos) {
        entries.computeIfAbsent(op, k -> new Entry()).backwardNanos += nanos;
    }

    /** Op name to totals, in order of first appearance. */
    public Map<String, Entry> entries() {
        return entries;
    }

    public long totalNanos() {
        long t = 0;
        for (Entry e : entries.values()) {
            t += e.forwardNanos + e.backwardNanos;
        }
        return t;
    }

    /** A table: op, calls, forward ms, backward ms, share of the total. */
    public String table() {
        StringBuilder sb = new StringBuilder(String.format("%-18s %8s %12s %12s %7s%n", "op", "calls", "forward ms", "backward ms", "share"));
        double total = Math.max(1, totalNanos());
        for (Map.Entry<String, Entry> me : entries.entrySet()) {
            Entry e = me.getValue();
            sb.append(String.format("%-18s %8d %12.2f %12.2f %6.1f%%%n", me.getKey(), e.calls, e.forwardNanos / 1e6,
                    e.backwardNanos / 1e6, 100.0 * (e.forwardNanos + e.backwardNanos) / total));
        }
        return sb.toString();
    }
}
