package dev.lanes.nn.io;

import java.nio.ByteBuffer;

/**
 * The element types of the safetensors format, with their sizes. Lanes computes in F32; other
 * numeric types are converted to float when read, and a module declares which type each of
 * its entries is saved as (F32, or I64 for counters such as {@code num_batches_tracked}).
 */
public enum DType {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2), I32(4), U32(4), F32(4),
    F64(8), I64(8), U64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type named {@code name} in a safetensors header, or null when unknown. */
    public static DType parse(String name) {
        for (DType d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** True when {@link #read} can turn this type into floats (all but the 8-bit float formats). */
    public boolean convertible() {
        return this != F8_E5M2 && this != F8_E4M3;
    }

    /** Reads one element (little-endian buffer) as a float. */
    float read(ByteBuffer b) {
        return switch (this) {
            case BOOL, U8 -> b.get() & 0xff;
            case I8 -> b.get();
            case I16 -> b.getShort();
            case U16 -> b.getShort() & 0xffff;
            case F16 -> Float.float16ToFloat(b.getShort());
            case BF16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
            case I32 -> b.getInt();
            case U32 -> b.getInt() & 0xffffffffL;
            case F32 -> b.getFloat();
            case F64 -> (float) b.getDouble();
            case I64 -> b.getLong();
            case U64 -> {
                long v = b.getLong();
                yield v >= 0 ? v : (float) (v >>> 1) * 2f;
            }
            case F8_E5M2, F8_E4M3 -> throw new UnsupportedOperationException(this + " cannot be read as float");
        };
    }

    /** Writes one float as this type (F32 and I64 only: the types Lanes saves). */
    void write(ByteBuffer b, float v) {
        switch (this) {
            case F32 -> b.putFloat(v);
            case I64 -> b.putLong((long) v);
            default -> throw new UnsupportedOperationException("Lanes saves F32 and I64 only, not " + this);
        }
    }
}
