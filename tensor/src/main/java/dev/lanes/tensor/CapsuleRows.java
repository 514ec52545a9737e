package dev.lanes.tensor;

/** The {@link CapsuleRowKernels} in use: SIMD when enabled ({@link Vectorization}), else the scalar twin. */
public final class CapsuleRows {
    private static final CapsuleRowKernels SCALAR = new CapsuleRowScalar();
    private static final CapsuleRowKernels K =
            Vectorization.load(CapsuleRowKernels.class, "dev.lanes.tensor.simd.CapsuleRowSimd", SCALAR);

    private CapsuleRows() {
    }

    public static CapsuleRowKernels kernels() {
        return K;
    }

    public static CapsuleRowKernels scalar() {
        return SCALAR;
    }
}
