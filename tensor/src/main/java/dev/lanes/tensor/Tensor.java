package dev.lanes.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A dense float tensor: a {@code float[]}, an offset into it and a shape, contiguous and
 * row-major (NCHW for images). {@link #reshape} shares the array; anything that changes
 * element order copies. Kernels take {@code data()} and {@code offset()} directly.
 */
public final class Tensor {
    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape) {
        this.shape = shape.clone();
        this.size = Shapes.size(this.shape);
        if (offset < 0 || offset + size > data.length) {
            throw new IllegalArgumentException("tensor of shape " + Shapes.toString(shape) + " at offset "
                    + offset + " does not fit in an array of length " + data.length);
        }
        this.data = data;
        this.offset = offset;
    }

    // ---- factories -------------------------------------------------------------------------

    public static Tensor zeros(int... shape) {
        return new Tensor(new float[Shapes.size(shape)], 0, shape);
    }

    public static Tensor ones(int... shape) {
        return full(1f, shape);
    }

    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape starting at index 0. */
    public static Tensor wrap(float[] data, int... shape) {
        return new Tensor(data, 0, shape);
    }

    /** Wraps {@code data} (not copied) as a tensor of the given shape starting at {@code offset}. */
    public static Tensor wrapAt(float[] data, int offset, int... shape) {
        return new Tensor(data, offset, shape);
    }

    /** A copy of {@code values} with the given shape. */
    public static Tensor of(float[] values, int... shape) {
        if (values.length != Shapes.size(shape)) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Shapes.toString(shape));
        }
        return new Tensor(values.clone(), 0, shape);
    }

    /** Standard normal entries scaled by {@code std}, drawn from a generator seeded with {@code seed}. */
    public static Tensor randn(long seed, float std, int... shape) {
        Tensor t = zeros(shape);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = (float) (gaussian(rnd) * std);
        }
        return t;
    }

    /** Uniform entries in {@code [lo, hi)}, drawn from a generator seeded with {@code seed}. */
    public static Tensor uniform(long seed, float lo, float hi, int... shape) {
        Tensor t = zeros(shape);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = (float) (lo + (hi - lo) * rnd.nextDouble());
        }
        return t;
    }

    /** A standard normal draw (Box-Muller), so results do not depend on the JDK's generator internals. */
    public static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log1p(-u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    // ---- shape -----------------------------------------------------------------------------

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code i}; negative {@code i} counts from the end. */
    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int size() {
        return size;
    }

    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /** A view with a new shape over the same array; one dimension may be {@code -1}. */
    public Tensor reshape(int... newShape) {
        int[] resolved = Shapes.resolve(newShape, size, shape);
        return new Tensor(data, offset, resolved);
    }

    /** Same as {@link #reshape}: a view, never a copy. */
    public Tensor view(int... newShape) {
        return reshape(newShape);
    }

    /** The sub-tensor at index {@code i} of the first dimension, sharing the array. */
    public Tensor slice(int i) {
        if (shape.length == 0 || i < 0 || i >= shape[0]) {
            throw new IndexOutOfBoundsException("index " + i + " out of range for shape " + Shapes.toString(shape));
        }
        int[] sub = Arrays.copyOfRange(shape, 1, shape.length);
        return new Tensor(data, offset + i * Shapes.size(sub), sub);
    }

    // ---- elements --------------------------------------------------------------------------

    public float get(int... index) {
        return data[offset + flatIndex(index)];
    }

    public void set(float value, int... index) {
        data[offset + flatIndex(index)] = value;
    }

    /** Element {@code i} in row-major order. */
    public float at(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("flat index " + i + " out of range for shape " + Shapes.toString(shape));
        }
        return data[offset + i];
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index of rank " + index.length + " for shape " + Shapes.toString(shape));
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            if (index[d] < 0 || index[d] >= shape[d]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of range for shape "
                        + Shapes.toString(shape));
            }
            flat = flat * shape[d] + index[d];
        }
        return flat;
    }

    /** The elements in row-major order, copied into a new array. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    public Tensor copy() {
        return new Tensor(toArray(), 0, shape);
    }

    public Tensor fill(float value) {
        Arrays.fill(data, offset, offset + size, value);
        return this;
    }

    /** Copies the elements of {@code src} (same shape) into this tensor. */
    public Tensor copyFrom(Tensor src) {
        Shapes.requireSame("copyFrom", shape, src.shape);
        System.arraycopy(src.data, src.offset, data, offset, size);
        return this;
    }

    /** True when both tensors have the same shape and bit-identical elements. */
    public boolean contentEquals(Tensor other) {
        if (!sameShape(other)) {
            return false;
        }
        for (int i = 0; i < size; i++) {
            if (Float.floatToIntBits(data[offset + i]) != Float.floatToIntBits(other.data[other.offset + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Shapes.toString(shape)).append(" [");
        int shown = Math.min(size, 8);
        for (int i = 0; i < shown; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(String.format("%.4g", data[offset + i]));
        }
        if (size > shown) {
            sb.append(", ... (").append(size - shown).append(" more)");
        }
        return sb.append(']').toString();
    }
}
