package dev.lanes.nn.io;

import dev.lanes.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors in a fixed order, each with the type it is stored as: a module's parameters
 * and buffers, or an optimizer's state. Values are held as float tensors whatever their
 * stored type. The tensors are not copied: a module's state dict shares its parameters.
 */
public final class StateDict {
    /** A tensor and the type it is saved as. */
    public record Entry(Tensor tensor, DType dtype) {
    }

    private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

    /** Adds (or replaces) an F32 entry. */
    public StateDict put(String name, Tensor tensor) {
        return put(name, tensor, DType.F32);
    }

    public StateDict put(String name, Tensor tensor, DType dtype) {
        entries.put(name, new Entry(tensor, dtype));
        return this;
    }

    /** The tensor called {@code name}, or null. */
    public Tensor get(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.tensor();
    }

    public DType dtype(String name) {
        Entry e = entries.get(name);
        return e == null ? null : e.dtype();
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public Map<String, Entry> entries() {
        return Collections.unmodifiableMap(entries);
    }

    public int size() {
        return entries.size();
    }

    /** A deep copy (new arrays). */
    public StateDict copy() {
        StateDict c = new StateDict();
        entries.forEach((k, e) -> c.put(k, e.tensor().copy(), e.dtype()));
        return c;
    }

    /** True when both have the same names in the same order, types, shapes and bit-identical values. */
    public boolean contentEquals(StateDict other) {
        if (!new java.util.ArrayList<>(entries.keySet()).equals(new java.util.ArrayList<>(other.entries.keySet()))) {
            return false;
        }
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            Entry o = other.entries.get(e.getKey());
            if (o.dtype() != e.getValue().dtype() || !o.tensor().contentEquals(e.getValue().tensor())) {
                return false;
            }
        }
        return true;
    }
}
