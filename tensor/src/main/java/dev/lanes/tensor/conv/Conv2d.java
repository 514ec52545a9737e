package dev.lanes.tensor.conv;

/**
 * The convolution entry points that ops call. Forward overwrites {@code y}; the backward
 * passes add into {@code dx}, {@code dw} and {@code db} (so gradients accumulate, as on the
 * tape). Transposed convolution is backward-data of the matching convolution.
 *
 * <p>Dispatch, per pass, among the kernels for stride 1, dilation 1 and one group (the direct
 * kernels {@link ConvDirect} and {@link ConvDirectWeights}, and {@link ConvImplicitGemm}, the
 * GEMM over the padded input read in place) where they measured faster, and im2col + Lanes
 * SGEMM ({@link ConvIm2col}) everywhere else. The rules come from the table in the README
 * (section Convolution).
 */
public final class Conv2d {
    private Conv2d() {
    }

    /**
     * Implicit GEMM for a forward problem (backward-data's is the transposed one): at least 16
     * channels in and out (fewer leave the GEMM's 4-row tiles or its depth half empty), and a
     * row of 16 or more outputs or at most 64 output channels. On 8-wide rows the padded rows it
     * computes are a quarter longer than the output's; im2col has no such waste, and its cost
     * (unfolding, per output channel) shrinks as the layer widens: at 256 channels on 8x8 it wins.
     * Never for a 1x1 convolution without padding: im2col multiplies the sample itself there.
     */
    static boolean implicitPays(int cIn, int cOut, int outW) {
        return cIn >= 16 && cOut >= 16 && (outW >= 16 || cOut <= 64);
    }

    static boolean useImplicit(ConvShape s) {
        return ConvImplicitGemm.supports(s) && !ConvIm2col.pointwise(s) && implicitPays(s.cIn(), s.cOut(), s.outW());
    }

    /** Direct forward: few input channels (the 4-channel block re-reads the input once per block). */
    static boolean useDirect(ConvShape s) {
        return ConvDirect.supports(s) && s.cIn() <= 16 && !useImplicit(s);
    }

    /** Backward-data is the forward pass of the transposed problem: {@code cOut} channels in, {@code cIn} out, on rows of {@code w}. */
    static boolean useImplicitBackwardData(ConvShape s) {
        return ConvDirect.supportsBackwardData(s) && !ConvIm2col.pointwise(s) && implicitPays(s.cOut(), s.cIn(), s.w());
    }

    /**
     * Direct backward-data: the forward of the transposed problem, whose input channels are
     * {@code cOut}; not for 1x1 (Inception's 192->16 1x1: 30 against 110 GFLOPS for im2col,
     * which needs no unfolding there).
     */
    static boolean useDirectBackwardData(ConvShape s) {
        return ConvDirect.supportsBackwardData(s) && s.cOut() <= 16 && !ConvIm2col.pointwise(s)
                && !useImplicitBackwardData(s);
    }

    /**
     * Implicit-GEMM weight gradient from 64 channels in and out (the GEMM's N is {@code cOut};
     * narrower layers leave its tiles too short, and the direct kernel wins up to 32 channels).
     */
    static boolean useImplicitWeights(ConvShape s) {
        return ConvImplicitGemm.supports(s) && !ConvIm2col.pointwise(s) && s.cIn() >= 64 && s.cOut() >= 64;
    }

    /** Direct weight gradient: up to 64 x 64 channels (on wider layers the GEMM's larger tiles win). */
    static boolean useDirectWeights(ConvShape s) {
        return ConvDirect.supports(s) && s.cIn() <= 64 && s.cOut() <= 64 && !useImplicitWeights(s);
    }

    public static void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        if (useImplicit(s)) {
            ConvImplicitGemm.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        if (useDirect(s)) {
            ConvDirect.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff);
            return;
        }
        ConvIm2col.forward(s, x, xOff, w, wOff, bias, bOff, y, yOff);
    }

    public static void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        if (useImplicitBackwardData(s)) {
            ConvImplicitGemm.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
            return;
        }
        if (useDirectBackwardData(s)) {
            ConvDirect.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
            return;
        }
        ConvIm2col.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
    }

    public static void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                       float[] dw, int dwOff, float[] db, int dbOff) {
        if (useImplicitWeights(s)) {
            ConvImplicitGemm.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
            return;
        }
        if (useDirectWeights(s)) {
            ConvDirectWeights.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
            return;
        }
        ConvIm2col.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
    }
}
