package dev.lanes.tensor.conv;

/**
 * Naive scalar convolution: seven nested loops, obviously right. The fast kernels are tested
 * against it. Forward overwrites its output; the backward passes add into theirs.
 */
public final class ConvReference {
    private ConvReference() {
    }

    /** {@code y = conv(x, w) + bias}; {@code bias} may be null. */
    public static void forward(ConvShape s, float[] x, int xOff, float[] w, int wOff,
                               float[] bias, int bOff, float[] y, int yOff) {
        int oh = s.outH(), ow = s.outW();
        int cinG = s.cIn() / s.groups(), coutG = s.cOut() / s.groups();
        for (int b = 0; b < s.n(); b++) {
            for (int co = 0; co < s.cOut(); co++) {
                int g = co / coutG;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float sum = bias == null ? 0f : bias[bOff + co];
                        for (int ci = 0; ci < cinG; ci++) {
                            int c = g * cinG + ci;
                            for (int ky = 0; ky < s.kh(); ky++) {
                                int iy = oy * s.strideH() - s.padH() + ky * s.dilH();
                                if (iy < 0 || iy >= s.h()) {
                                    continue;
                                }
                                for (int kx = 0; kx < s.kw(); kx++) {
                                    int ix = ox * s.strideW() - s.padW() + kx * s.dilW();
                                    if (ix < 0 || ix >= s.w()) {
                                        continue;
                                    }
                                    sum += x[xOff + ((b * s.cIn() + c) * s.h() + iy) * s.w() + ix]
                                            * w[wOff + ((co * cinG + ci) * s.kh() + ky) * s.kw() + kx];
                                }
                            }
                        }
                        y[yOff + ((b * s.cOut() + co) * oh + oy) * ow + ox] = sum;
                    }
                }
            }
        }
    }

    /** {@code dx += conv_transpose(dy, w)}: the gradient with respect to the input. */
    public static void backwardData(ConvShape s, float[] dy, int dyOff, float[] w, int wOff, float[] dx, int dxOff) {
        int oh = s.outH(), ow = s.outW();
        int cinG = s.cIn() / s.groups(), coutG = s.cOut() / s.groups();
        for (int b = 0; b < s.n(); b++) {
            for (int co = 0; co < s.cOut(); co++) {
                int g = co / coutG;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        float gy = dy[dyOff + ((b * s.cOut() + co) * oh + oy) * ow + ox];
                        for (int ci = 0; ci < cinG; ci++) {
                            int c = g * cinG + ci;
                            for (int ky = 0; ky < s.kh(); ky++) {
                                int iy = oy * s.strideH() - s.padH() + ky * s.dilH();
                                if (iy < 0 || iy >= s.h()) {
                                    continue;
                                }
                                for (int kx = 0; kx < s.kw(); kx++) {
                                    int ix = ox * s.strideW() - s.padW() + kx * s.dilW();
                                    if (ix < 0 || ix >= s.w()) {
                                        continue;
                                    }
                                    dx[dxOff + ((b * s.cIn() + c) * s.h() + iy) * s.w() + ix] +=
                                            gy * w[wOff + ((co * cinG + ci) * s.kh() + ky) * s.kw() + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** {@code dw += grad w.r.t. the weight}; {@code db += sum of dy per channel} unless {@code db} is null. */
    public static void backwardWeights(ConvShape s, float[] x, int xOff, float[] dy, int dyOff,
                                       float[] dw, int dwOff, float[] db, int dbOff) {
        int oh = s.outH(), ow = s.outW();
        int cinG = s.cIn() / s.groups(), coutG = s.cOut() / s.groups();
        for (int co = 0; co < s.cOut(); co++) {
            int g = co / coutG;
            for (int ci = 0; ci < cinG; ci++) {
                int c = g * cinG + ci;
                for (int ky = 0; ky < s.kh(); ky++) {
                    for (int kx = 0; kx < s.kw(); kx++) {
                        float sum = 0f;
                        for (int b = 0; b < s.n(); b++) {
                            for (int oy = 0; oy < oh; oy++) {
                                int iy = oy * s.strideH() - s.padH() + ky * s.dilH();
                                if (iy < 0 || iy >= s.h()) {
                                    continue;
                                }
                                for (int ox = 0; ox < ow; ox++) {
                                    int ix = ox * s.strideW() - s.padW() + kx * s.dilW();
                                    if (ix < 0 || ix >= s.w()) {
                                        continue;
                                    }
                                    sum += x[xOff + ((b * s.cIn() + c) * s.h() + iy) * s.w() + ix]
                                            * dy[dyOff + ((b * s.cOut() + co) * oh + oy) * ow + ox];
                                }
                            }
                        }
                        dw[dwOff + ((co * cinG + ci) * s.kh() + ky) * s.kw() + kx] += sum;
                    }
                }
            }
        }
        if (db != null) {
            for (int co = 0; co < s.cOut(); co++) {
                float sum = 0f;
                for (int b = 0; b < s.n(); b++) {
                    int base = dyOff + (b * s.cOut() + co) * oh * ow;
                    for (int i = 0; i < oh * ow; i++) {
                        sum += dy[base + i];
                    }
                }
                db[dbOff + co] += sum;
            }
        }
    }
}
