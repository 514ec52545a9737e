package dev.lanes.tensor.conv;

/**
 * The convolution entry points that ops call. Forward overwrites {@code y}; the backward
 * passes add into {@code dx}, {@code dw} and {@code db} (so gradients accumulate, as on the
 * tape). Transposed convolution is backward-data of the matching convolution.
 *
 * <p>Dispatch, per pass: the direct kernels ({@link ConvDirect}, {@link ConvDirectWeights};
 * stride 1, dilation 1, one group) where they measured faster, im2col + Lanes SGEMM
 * ({@link ConvIm2col}) everywhere else. The rules come from the table in the README (section
 * Convolution).
 */
public final class Conv2d {
    private Conv2d() {
    }

    /** Direct forward: few input channels (the 4-channel block re-reads the input once per block). */
    static boolean useDirect(ConvShape s) {
        return ConvDirect.supports(s) && s.cIn() <= 16;
    }

    /** Direct backward-data: the forward of the transposed problem, whose input channels are {@code cOut}. */
    static boolean useDirectBackwardData(ConvShape s) {
        return ConvDirect.supportsBackwardData(s) && s.cOut() <= 16;
    }

    /** Direct weight gradient: up to 64 x 64 channels (on wider layers the GEMM's larger tiles win). */
    static boolean useDirectWeights(ConvShape s) {
        return ConvDirect.supports(s) && s.cIn() <= 64 && s.cOut() <= 64;
    }

    public static void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        if (useDirect(s)) {
            ConvDirect.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        ConvIm2col.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    public static void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        if (useDirectBackwardData(s)) {
            ConvDirect.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
            return;
        }
        ConvIm2col.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
    }

    public static void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                       float[] dw, int dwOff, float[] db, int dbOff) {
        if (useDirectWeights(s)) {
            ConvDirectWeights.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
            return;
        }
        ConvIm2col.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
    }
}
