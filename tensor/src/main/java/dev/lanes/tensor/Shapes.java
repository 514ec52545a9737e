package dev.lanes.tensor;

import java.util.Arrays;

/** Shape arithmetic and the checks that name both shapes when they disagree. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements; rejects negative dimensions and overflow. */
    public static int size(int... shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + toString(shape) + " has more than 2^31 elements");
            }
        }
        return (int) n;
    }

    public static String toString(int... shape) {
        return Arrays.toString(shape);
    }

    /** Throws {@link IllegalArgumentException} naming both shapes unless they are equal. */
    public static void requireSame(String what, int[] a, int[] b) {
        if (!Arrays.equals(a, b)) {
            throw new IllegalArgumentException(what + ": shape mismatch " + toString(a) + " vs " + toString(b));
        }
    }

    /** Replaces a single {@code -1} in {@code shape} so that the total is {@code size}. */
    static int[] resolve(int[] shape, int size, int[] from) {
        int[] out = shape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape " + toString(from) + " -> " + toString(shape)
                            + ": only one dimension may be -1");
                }
                infer = i;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("reshape " + toString(from) + " -> " + toString(shape)
                        + ": negative dimension");
            } else {
                known *= out[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size % known != 0) {
                throw new IllegalArgumentException("reshape " + toString(from) + " -> " + toString(shape)
                        + ": " + size + " elements do not divide evenly");
            }
            out[infer] = (int) (size / known);
        } else if (known != size) {
            throw new IllegalArgumentException("reshape " + toString(from) + " -> " + toString(shape)
                    + ": element count " + size + " != " + known);
        }
        return out;
    }
}
