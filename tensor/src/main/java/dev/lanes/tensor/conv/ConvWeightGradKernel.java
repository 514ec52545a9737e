package dev.lanes.tensor.conv;

/**
 * The inner loop of the direct weight gradient (stride 1, dilation 1, one group): the
 * correlation of a few output-gradient planes with one zero-padded input plane at the
 * {@code kw} shifts of one kernel row. Planes are "flat": an output-gradient row of
 * {@code ow} values is stored {@code wp = ow + kw - 1} floats apart with zeros in between,
 * so that {@code dy[oy][ox] * x[oy + ky][ox + kx]} pairs positions {@code p} and
 * {@code p + ky*wp + kx} for every {@code p} and the sum runs over one contiguous range: no row
 * tails, whatever the width. A scalar twin ({@link ConvWeightGradScalar}) and a SIMD one
 * ({@code dev.lanes.tensor.simd.ConvWeightGradSimd}).
 */
public interface ConvWeightGradKernel {
    /** Output channels correlated together. */
    int BLOCK = 4;

    /** Flat lengths are padded (with zeros in the output gradient) to a multiple of this. */
    int lanes();

    /**
     * {@code sums[j*kw + kx] = sum over s < samples, p < len of
     * dyp[dOff + j*dChan + s*dSample + p] * xp[xOff + s*xSample + p + kx]} for {@code j < cos}
     * (at most {@link #BLOCK}) and {@code kx < kw}. {@code len} is a multiple of {@link #lanes()};
     * {@code work} holds at least {@code 3 * lanes()} floats.
     */
    void correlate(float[] dyp, int dOff, int dChan, int dSample, int cos, float[] xp, int xOff, int xSample,
                   int samples, int len, int kw, float[] sums, float[] work);
}
