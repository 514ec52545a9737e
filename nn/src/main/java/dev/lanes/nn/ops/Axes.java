package dev.lanes.nn.ops;

import dev.lanes.tensor.Shapes;

/** Axis arithmetic: negative axes, and the {@code [outer, n, inner]} view of a tensor around one axis. */
final class Axes {
    private Axes() {
    }

    /** {@code axis} made non-negative and checked against {@code rank}. */
    static int normalize(String op, int axis, int[] shape) {
        int a = axis < 0 ? axis + shape.length : axis;
        if (a < 0 || a >= shape.length) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for shape " + Shapes.toString(shape));
        }
        return a;
    }

    /** Product of {@code shape[from, to)}. */
    static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= shape[i];
        }
        return p;
    }

    static int outer(int[] shape, int axis) {
        return product(shape, 0, axis);
    }

    static int inner(int[] shape, int axis) {
        return product(shape, axis + 1, shape.length);
    }
}
