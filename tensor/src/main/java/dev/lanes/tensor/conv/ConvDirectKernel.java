package dev.lanes.tensor.conv;

/**
 * The inner loop of direct convolution (stride 1, dilation 1, one group) over a sample whose
 * input is already zero-padded: a scalar twin ({@link ConvDirectScalar}) and a SIMD
 * implementation ({@code dev.lanes.tensor.simd.ConvDirectSimd}), which vectorizes along the
 * output row and keeps several output channels in registers.
 */
public interface ConvDirectKernel {
    /** Output channels computed together. */
    int BLOCK = 4;

    /** Zero floats each padded row needs after its {@code ow + kw - 1} values (vector loads may read them). */
    int rowSlack();

    /**
     * {@code y[co][oy][ox] = sum over ci, ky, kx of w[co][ci][ky][kx] * xp[ci][oy + ky][ox + kx]}
     * for {@code co < cos} (at most {@link #BLOCK}), {@code oy < oh}, {@code ox < ow}. The padded input has
     * rows {@code wp} floats apart and planes {@code plane} floats apart; weights of consecutive
     * output channels are {@code cin*kh*kw} apart; output planes are {@code oh*ow} apart.
     */
    void forward(float[] xp, int xpOff, int wp, int plane, int cin, int kh, int kw,
                 float[] w, int wOff, int cos, float[] y, int yOff, int oh, int ow);
}
