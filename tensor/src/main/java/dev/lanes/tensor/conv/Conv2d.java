package dev.lanes.tensor.conv;

/**
 * The convolution entry points that ops call. Forward overwrites {@code y}; the backward
 * passes add into {@code dx}, {@code dw} and {@code db} (so gradients accumulate, as on the
 * tape). Transposed convolution is backward-data of the matching convolution.
 *
 * <p>Dispatch: every shape runs im2col + Lanes SGEMM ({@link ConvIm2col}). The direct kernel
 * ({@link ConvDirect}) was measured beside it on the zoo's layers and was slower on those that
 * carry the time (the table is in the README, section Convolution), so it is not dispatched to.
 */
public final class Conv2d {
    private Conv2d() {
    }

    public static void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
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
