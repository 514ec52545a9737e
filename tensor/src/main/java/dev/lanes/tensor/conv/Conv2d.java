package dev.lanes.tensor.conv;

/**
 * The convolution entry points that ops call. Forward overwrites {@code y}; the backward
 * passes add into {@code dx}, {@code dw} and {@code db} (so gradients accumulate, as on the
 * tape). Transposed convolution is backward-data of the matching convolution.
 *
 * <p>Dispatch ({@link #useDirect}): the forward pass of few input channels on wide rows runs
 * the direct kernel ({@link ConvDirect}); everything else runs im2col + Lanes SGEMM
 * ({@link ConvIm2col}). The rule comes from the table in the README (section Convolution).
 */
public final class Conv2d {
    private Conv2d() {
    }

    /**
     * Direct forward where it measured faster: stride 1, one group, at most 16 input channels
     * and output rows of at least 28 (3->16 and 16->16 on 32x32: 55 and 111 GFLOPS against
     * im2col's 39 and 81; LeNet's 1->6 5x5, rows of 28: 22 against 14; on 32 or 64 channels,
     * or rows of 16, 10 and 8, im2col was ahead).
     */
    static boolean useDirect(ConvShape s) {
        return ConvDirect.supports(s) && s.cIn() <= 16 && s.outW() >= 28;
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
        ConvIm2col.backwardData(s, dy, dyOff, w, wOff, dx, dxOff);
    }

    public static void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                       float[] dw, int dwOff, float[] db, int dbOff) {
        ConvIm2col.backwardWeights(s, x, xOff, dy, dyOff, dw, dwOff, db, dbOff);
    }
}
