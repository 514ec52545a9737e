package dev.lanes.tensor.conv;

/** The scalar twin of the SIMD direct-convolution kernel: the same loop nest, one output at a time. */
public final class ConvDirectScalar implements ConvDirectKernel {
    @Override
    public int rowSlack() {
        return 0;
    }

    @Override
    public void forward(float[] xp, int xpOff, int wp, int plane, int cin, int kh, int kw,
                        float[] w, int wOff, int cos, float[] y, int yOff, int oh, int ow) {
        int ks = cin * kh * kw;
        for (int co = 0; co < cos; co++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float sum = 0f;
                    for (int ci = 0; ci < cin; ci++) {
                        for (int ky = 0; ky < kh; ky++) {
                            int r = xpOff + ci * plane + (oy + ky) * wp + ox;
                            int wr = wOff + co * ks + (ci * kh + ky) * kw;
                            for (int kx = 0; kx < kw; kx++) {
                                sum = Math.fma(w[wr + kx], xp[r + kx], sum);
                            }
                        }
                    }
                    y[yOff + (co * oh + oy) * ow + ox] = sum;
                }
            }
        }
    }
}
