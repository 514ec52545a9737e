package dev.lanes.tensor.conv;

/** The scalar twin of the SIMD 2x2 average-pooling kernel: one window at a time, in the reference's order. */
public final class Pool2x2Scalar implements Pool2x2Kernel {
    @Override
    public void avgRow(float[] x, int i, int w, int ow, float[] y, int o) {
        for (int k = 0; k < ow; k++, i += 2) {
            float sum = 0f;
            sum += x[i];
            sum += x[i + 1];
            sum += x[i + w];
            sum += x[i + w + 1];
            y[o + k] = sum / 4f;
        }
    }

    @Override
    public void avgBackwardRow(float[] dy, int o, int ow, float[] dx, int i, int w) {
        for (int k = 0; k < ow; k++, i += 2) {
            float g = dy[o + k] / 4f;
            dx[i] += g;
            dx[i + 1] += g;
            dx[i + w] += g;
            dx[i + w + 1] += g;
        }
    }
}
