package dev.lanes.tensor.conv;

/**
 * The inner loop of direct convolution (stride 1, dilation 1, one group) over a sample whose
 * input is already zero-padded: a scalar twin ({@link ConvDirectScalar}) and a SIMD
 * implementation ({@code dev.lanes.tensor.simd.ConvDirectSimd}), which vectorizes along the
 * output positions and keeps several output channels in registers.
 *
 * <p>The output is "flat": position {@code p = oy*wp + ox} with the padded input's row length
 * {@code wp = ow + kw - 1}, so that output {@code p} reads input {@code p + ky*wp + kx} and one
 * loop over {@code p} covers every row without tails, whatever the width; the {@code kw - 1}
 * positions at the end of each row are computed and dropped by the caller.
 */
public interface ConvDirectKernel {
    /** Output channels computed together. */
    int BLOCK = 4;

    /** Flat lengths are a multiple of this. */
    int lanes();

    /**
     * {@code out[outOff + j*len + p] = sum over ci, ky, kx of w[wOff + j*cin*kh*kw + (ci*kh + ky)*kw + kx]
     * * xp[xpOff + ci*plane + ky*wp + kx + p]} for {@code j < cos} (at most {@link #BLOCK}) and
     * {@code p < len}, a multiple of {@link #lanes()}; each sum one chain of FMAs in
     * {@code (ci, ky, kx)} order. Input planes hold at least {@code (kh-1)*wp + kw - 1 + len} floats.
     */
    void forward(float[] xp, int xpOff, int wp, int plane, int cin, int kh, int kw,
                 float[] w, int wOff, int cos, float[] out, int outOff, int len);
}
