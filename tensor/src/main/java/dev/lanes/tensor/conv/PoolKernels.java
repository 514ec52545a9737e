package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.VectorMath;
import dev.lanes.tensor.Vectorization;

/**
 * The fast pooling kernels behind {@link Pool2d}. Against {@link PoolReference} they run max
 * pooling in two branch-free passes ({@link MaxPoolRows} on the SIMD {@link MaxPoolKernel}),
 * clip each average-pooling window to the input once per output row and column instead of
 * testing every tap, hand 2x2 average pooling to the SIMD {@link Pool2x2Kernel}, and spread
 * the {@code n*c} planes over
 * Lanes' threads. Every plane is one task and its elements are visited in the reference's
 * order, so the results equal the reference's bit for bit on any thread count (global
 * average pooling sums lane-wise with {@link VectorMath#sum}, the one exception).
 */
final class PoolKernels {
    /** Elements of input per parallel task at least: below this, waking a worker costs more than it saves. */
    private static final int GRAIN_ELEMENTS = 1 << 15;

    private static final Pool2x2Kernel SCALAR_2X2 = new Pool2x2Scalar();
    private static final Pool2x2Kernel FAST_2X2 =
            Vectorization.load(Pool2x2Kernel.class, "dev.lanes.tensor.simd.Pool2x2Simd", SCALAR_2X2);

    private static final MaxPoolKernel FAST_MAX =
            Vectorization.load(MaxPoolKernel.class, "dev.lanes.tensor.simd.MaxPoolSimd", new MaxPoolScalar());

    private PoolKernels() {
    }

    private interface PlaneBody {
        void run(int p);
    }

    private static void forEachPlane(int planes, int planeSize, PlaneBody body) {
        int grain = Math.max(1, GRAIN_ELEMENTS / Math.max(1, planeSize));
        Parallel.parallelFor(planes, grain, (p0, p1) -> {
            for (int p = p0; p < p1; p++) {
                body.run(p);
            }
        });
    }

    /** 2x2 windows, stride 2, no padding: the case {@link Pool2x2Kernel} computes. */
    static boolean twoByTwo(PoolShape s) {
        return s.kh() == 2 && s.kw() == 2 && s.strideH() == 2 && s.strideW() == 2 && s.padH() == 0 && s.padW() == 0;
    }

    static void maxForward(PoolShape s, float[] x, int xOff, float[] y, int yOff, int[] argmax, int aOff) {
        int oh = s.outH(), ow = s.outW(), hw = s.h() * s.w();
        boolean twoPass = MaxPoolRows.fits(s);
        forEachPlane(s.n() * s.c(), hw, p -> {
            if (twoPass) {
                MaxPoolRows.plane(FAST_MAX, s, x, xOff + p * hw, y, yOff + p * oh * ow, argmax, aOff + p * oh * ow);
            } else {
                maxPlane(s, x, xOff + p * hw, y, yOff + p * oh * ow, argmax, aOff + p * oh * ow);
            }
        });
    }

    /** One pass over clipped windows, for planes too large for {@link MaxPoolRows}' float indices. */
    private static void maxPlane(PoolShape s, float[] x, int in, float[] y, int out, int[] argmax, int aOut) {
        int oh = s.outH(), ow = s.outW(), w = s.w();
        for (int oy = 0; oy < oh; oy++) {
            int y0 = oy * s.strideH() - s.padH();
            int ky0 = Math.max(0, -y0), ky1 = Math.min(s.kh(), s.h() - y0);
            for (int ox = 0; ox < ow; ox++) {
                int x0 = ox * s.strideW() - s.padW();
                int kx0 = Math.max(0, -x0), kx1 = Math.min(s.kw(), w - x0);
                int bestIdx = (y0 + ky0) * w + x0 + kx0;
                float best = x[in + bestIdx];
                for (int ky = ky0; ky < ky1; ky++) {
                    int row = (y0 + ky) * w + x0;
                    for (int kx = kx0; kx < kx1; kx++) {
                        float v = x[in + row + kx];
                        if (MaxPoolKernel.beats(v, best)) {
                            best = v;
                            bestIdx = row + kx;
                        }
                    }
                }
                y[out + oy * ow + ox] = best;
                argmax[aOut + oy * ow + ox] = bestIdx;
            }
        }
    }

    static void maxBackward(PoolShape s, float[] dy, int dyOff, int[] argmax, int aOff, float[] dx, int dxOff) {
        int outPlane = s.outH() * s.outW(), hw = s.h() * s.w();
        forEachPlane(s.n() * s.c(), hw, p -> {
            int d = dxOff + p * hw, o = p * outPlane;
            for (int i = 0; i < outPlane; i++) {
                dx[d + argmax[aOff + o + i]] += dy[dyOff + o + i];
            }
        });
    }

    /** 1x1 windows without padding: a subsampling (ResNet's option-A shortcut), every divisor 1. */
    static boolean oneByOne(PoolShape s) {
        return s.kh() == 1 && s.kw() == 1 && s.padH() == 0 && s.padW() == 0;
    }

    static void avgForward(PoolShape s, boolean countPad, float[] x, int xOff, float[] y, int yOff) {
        int oh = s.outH(), ow = s.outW(), w = s.w(), hw = s.h() * w;
        if (oneByOne(s)) {
            int sh = s.strideH(), sw = s.strideW();
            forEachPlane(s.n() * s.c(), hw, p -> {
                for (int oy = 0; oy < oh; oy++) {
                    int in = xOff + p * hw + oy * sh * w, out = yOff + (p * oh + oy) * ow;
                    for (int ox = 0; ox < ow; ox++) {
                        y[out + ox] = 0f + x[in + ox * sw]; // the reference's (0 + x) / 1
                    }
                }
            });
            return;
        }
        if (twoByTwo(s)) {
            forEachPlane(s.n() * s.c(), hw, p -> {
                for (int oy = 0; oy < oh; oy++) {
                    FAST_2X2.avgRow(x, xOff + p * hw + 2 * oy * w, w, ow, y, yOff + (p * oh + oy) * ow);
                }
            });
            return;
        }
        forEachPlane(s.n() * s.c(), hw, p -> {
            int in = xOff + p * hw, out = yOff + p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * s.strideH() - s.padH();
                int ky0 = Math.max(0, -y0), ky1 = Math.min(s.kh(), s.h() - y0);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * s.strideW() - s.padW();
                    int kx0 = Math.max(0, -x0), kx1 = Math.min(s.kw(), w - x0);
                    float sum = 0f;
                    for (int ky = ky0; ky < ky1; ky++) {
                        int row = in + (y0 + ky) * w + x0;
                        for (int kx = kx0; kx < kx1; kx++) {
                            sum += x[row + kx];
                        }
                    }
                    y[out + oy * ow + ox] = sum / PoolReference.divisor(s, countPad, oy, ox);
                }
            }
        });
    }

    static void avgBackward(PoolShape s, boolean countPad, float[] dy, int dyOff, float[] dx, int dxOff) {
        int oh = s.outH(), ow = s.outW(), w = s.w(), hw = s.h() * w;
        if (oneByOne(s)) {
            int sh = s.strideH(), sw = s.strideW();
            forEachPlane(s.n() * s.c(), hw, p -> {
                for (int oy = 0; oy < oh; oy++) {
                    int in = dxOff + p * hw + oy * sh * w, out = dyOff + (p * oh + oy) * ow;
                    for (int ox = 0; ox < ow; ox++) {
                        dx[in + ox * sw] += dy[out + ox];
                    }
                }
            });
            return;
        }
        if (twoByTwo(s)) {
            forEachPlane(s.n() * s.c(), hw, p -> {
                for (int oy = 0; oy < oh; oy++) {
                    FAST_2X2.avgBackwardRow(dy, dyOff + (p * oh + oy) * ow, ow, dx, dxOff + p * hw + 2 * oy * w, w);
                }
            });
            return;
        }
        forEachPlane(s.n() * s.c(), hw, p -> {
            int in = dxOff + p * hw, out = dyOff + p * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * s.strideH() - s.padH();
                int ky0 = Math.max(0, -y0), ky1 = Math.min(s.kh(), s.h() - y0);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * s.strideW() - s.padW();
                    int kx0 = Math.max(0, -x0), kx1 = Math.min(s.kw(), w - x0);
                    float g = dy[out + oy * ow + ox] / PoolReference.divisor(s, countPad, oy, ox);
                    for (int ky = ky0; ky < ky1; ky++) {
                        int row = in + (y0 + ky) * w + x0;
                        for (int kx = kx0; kx < kx1; kx++) {
                            dx[row + kx] += g;
                        }
                    }
                }
            }
        });
    }

    static void globalAvgForward(int n, int c, int plane, float[] x, int xOff, float[] y, int yOff) {
        forEachPlane(n * c, plane, p -> y[yOff + p] = VectorMath.sum(x, xOff + p * plane, plane) / plane);
    }

    static void globalAvgBackward(int n, int c, int plane, float[] dy, int dyOff, float[] dx, int dxOff) {
        forEachPlane(n * c, plane, p -> {
            int d = dxOff + p * plane;
            VectorMath.addScalar(dy[dyOff + p] / plane, dx, d, dx, d, plane);
        });
    }
}
