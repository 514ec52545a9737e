package dev.lanes.tensor.conv;

/**
 * Naive scalar pooling, the reference for the fast kernels. Forward passes overwrite their
 * outputs; backward passes add into {@code dx}. Max pooling records, per output, the flat
 * index (within its {@code h*w} plane) of the winning input; ties go to the first in
 * row-major order, and padding never wins.
 */
public final class PoolReference {
    private PoolReference() {
    }

    public static void maxForward(PoolShape s, float[] x, int xOff, float[] y, int yOff, int[] argmax, int aOff) {
        int oh = s.outH(), ow = s.outW();
        for (int p = 0; p < s.n() * s.c(); p++) {
            int in = xOff + p * s.h() * s.w();
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float best = Float.NEGATIVE_INFINITY;
                    int bestIdx = -1;
                    for (int ky = 0; ky < s.kh(); ky++) {
                        int iy = oy * s.strideH() - s.padH() + ky;
                        if (iy < 0 || iy >= s.h()) {
                            continue;
                        }
                        for (int kx = 0; kx < s.kw(); kx++) {
                            int ix = ox * s.strideW() - s.padW() + kx;
                            if (ix < 0 || ix >= s.w()) {
                                continue;
                            }
                            float v = x[in + iy * s.w() + ix];
                            if (v > best || bestIdx < 0 || Float.isNaN(v) && !Float.isNaN(best)) {
                                best = v;
                                bestIdx = iy * s.w() + ix;
                            }
                        }
                    }
                    int o = (p * oh + oy) * ow + ox;
                    y[yOff + o] = best;
                    argmax[aOff + o] = bestIdx;
                }
            }
        }
    }

    public static void maxBackward(PoolShape s, float[] dy, int dyOff, int[] argmax, int aOff, float[] dx, int dxOff) {
        int outPlane = s.outH() * s.outW();
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int o = 0; o < outPlane; o++) {
                dx[dxOff + p * s.h() * s.w() + argmax[aOff + p * outPlane + o]] += dy[dyOff + p * outPlane + o];
            }
        }
    }

    /**
     * Average pooling. With {@code countPad} the divisor is the full window clipped to the
     * padded input (PyTorch's {@code count_include_pad=True}); without it, only real inputs count.
     */
    public static void avgForward(PoolShape s, boolean countPad, float[] x, int xOff, float[] y, int yOff) {
        int oh = s.outH(), ow = s.outW();
        for (int p = 0; p < s.n() * s.c(); p++) {
            int in = xOff + p * s.h() * s.w();
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float sum = 0f;
                    for (int ky = 0; ky < s.kh(); ky++) {
                        int iy = oy * s.strideH() - s.padH() + ky;
                        for (int kx = 0; kx < s.kw(); kx++) {
                            int ix = ox * s.strideW() - s.padW() + kx;
                            if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                sum += x[in + iy * s.w() + ix];
                            }
                        }
                    }
                    y[yOff + (p * oh + oy) * ow + ox] = sum / divisor(s, countPad, oy, ox);
                }
            }
        }
    }

    public static void avgBackward(PoolShape s, boolean countPad, float[] dy, int dyOff, float[] dx, int dxOff) {
        int oh = s.outH(), ow = s.outW();
        for (int p = 0; p < s.n() * s.c(); p++) {
            int in = dxOff + p * s.h() * s.w();
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    float g = dy[dyOff + (p * oh + oy) * ow + ox] / divisor(s, countPad, oy, ox);
                    for (int ky = 0; ky < s.kh(); ky++) {
                        int iy = oy * s.strideH() - s.padH() + ky;
                        for (int kx = 0; kx < s.kw(); kx++) {
                            int ix = ox * s.strideW() - s.padW() + kx;
                            if (iy >= 0 && iy < s.h() && ix >= 0 && ix < s.w()) {
                                dx[in + iy * s.w() + ix] += g;
                            }
                        }
                    }
                }
            }
        }
    }

    static int divisor(PoolShape s, boolean countPad, int oy, int ox) {
        int y0 = oy * s.strideH() - s.padH(), x0 = ox * s.strideW() - s.padW();
        int y1 = Math.min(y0 + s.kh(), s.h() + (countPad ? s.padH() : 0));
        int x1 = Math.min(x0 + s.kw(), s.w() + (countPad ? s.padW() : 0));
        if (!countPad) {
            y0 = Math.max(y0, 0);
            x0 = Math.max(x0, 0);
        }
        return (y1 - y0) * (x1 - x0);
    }

    /** Mean over each {@code h*w} plane: {@code [n, c, h, w] -> [n, c]}. */
    public static void globalAvgForward(int n, int c, int plane, float[] x, int xOff, float[] y, int yOff) {
        for (int p = 0; p < n * c; p++) {
            float sum = 0f;
            for (int i = 0; i < plane; i++) {
                sum += x[xOff + p * plane + i];
            }
            y[yOff + p] = sum / plane;
        }
    }

    public static void globalAvgBackward(int n, int c, int plane, float[] dy, int dyOff, float[] dx, int dxOff) {
        for (int p = 0; p < n * c; p++) {
            float g = dy[dyOff + p] / plane;
            for (int i = 0; i < plane; i++) {
                dx[dxOff + p * plane + i] += g;
            }
        }
    }
}
