package dev.lanes.tensor.conv;

/** The scalar twin of the SIMD weight-gradient correlation: one sum at a time, in (sample, position) order. */
public final class ConvWeightGradScalar implements ConvWeightGradKernel {
    @Override
    public int lanes() {
        return 1;
    }

    @Override
    public void correlate(float[] dyp, int dOff, int dChan, int dSample, int cos, float[] xp, int xOff, int xSample,
                          int samples, int len, int kw, float[] sums, float[] work) {
        for (int j = 0; j < cos; j++) {
            for (int kx = 0; kx < kw; kx++) {
                float sum = 0f;
                for (int s = 0; s < samples; s++) {
                    int d = dOff + j * dChan + s * dSample, x = xOff + s * xSample + kx;
                    for (int p = 0; p < len; p++) {
                        sum = Math.fma(dyp[d + p], xp[x + p], sum);
                    }
                }
                sums[j * kw + kx] = sum;
            }
        }
    }
}
