package dev.lanes.tensor.conv;

/** The scalar twin of the SIMD direct-convolution kernel: the same chain of FMAs, one output at a time. */
public final class ConvDirectScalar implements ConvDirectKernel {
    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void forward(float[] xp, int xpOff, int wp, int plane, int cin, int kh, int kw,
                        float[] w, int wOff, int cos, float[] out, int outOff, int len) {
        int ks = cin * kh * kw;
        for (int co = 0; co < cos; co++) {
            for (int p = 0; p < len; p++) {
                float sum = 0f;
                for (int ci = 0; ci < cin; ci++) {
                    for (int ky = 0; ky < kh; ky++) {
                        int r = xpOff + ci * plane + ky * wp + p;
                        int wr = wOff + co * ks + (ci * kh + ky) * kw;
                        for (int kx = 0; kx < kw; kx++) {
                            sum = Math.fma(w[wr + kx], xp[r + kx], sum);
                        }
                    }
                }
                out[outOff + co * len + p] = sum;
            }
        }
    }
}
