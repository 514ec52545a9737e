package dev.lanes.tensor.conv;

/**
 * The unfolding of one sample for convolution as a matrix product. Row
 * {@code (c * kh + ky) * kw + kx} of the column matrix holds, for every output position
 * {@code (oy, ox)}, the input value that kernel tap {@code (ky, kx)} of channel {@code c}
 * sees there (zero in the padding). Rows are {@code ld} floats apart, so the columns of
 * several samples can sit side by side in one matrix.
 */
final class Im2col {
    private Im2col() {
    }

    /** Fills the {@code cIn*kh*kw} rows of {@code col} from the sample starting at {@code x[xOff]}. */
    static void im2col(ConvShape s, float[] x, int xOff, float[] col, int colOff, int ld) {
        int oh = s.outH(), ow = s.outW(), h = s.h(), w = s.w(), sw = s.strideW();
        int row = 0;
        for (int c = 0; c < s.cIn(); c++) {
            int plane = xOff + c * h * w;
            for (int ky = 0; ky < s.kh(); ky++) {
                for (int kx = 0; kx < s.kw(); kx++, row++) {
                    int xs = kx * s.dilW() - s.padW();
                    int ox0 = firstInside(xs, sw, ow), ox1 = endInside(xs, sw, w, ox0, ow);
                    int dst = colOff + row * ld;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s.strideH() - s.padH() + ky * s.dilH();
                        int d = dst + oy * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, d, d + ow, 0f);
                            continue;
                        }
                        java.util.Arrays.fill(col, d, d + ox0, 0f);
                        int src = plane + iy * w + xs;
                        if (sw == 1) {
                            System.arraycopy(x, src + ox0, col, d + ox0, ox1 - ox0);
                        } else {
                            for (int ox = ox0; ox < ox1; ox++) {
                                col[d + ox] = x[src + ox * sw];
                            }
                        }
                        java.util.Arrays.fill(col, d + ox1, d + ow, 0f);
                    }
                }
            }
        }
    }

    /** Adds every entry of {@code col} back onto the input position it was read from (the adjoint of {@link #im2col}). */
    static void col2imAdd(ConvShape s, float[] col, int colOff, int ld, float[] dx, int dxOff) {
        int oh = s.outH(), ow = s.outW(), h = s.h(), w = s.w(), sw = s.strideW();
        int row = 0;
        for (int c = 0; c < s.cIn(); c++) {
            int plane = dxOff + c * h * w;
            for (int ky = 0; ky < s.kh(); ky++) {
                for (int kx = 0; kx < s.kw(); kx++, row++) {
                    int xs = kx * s.dilW() - s.padW();
                    int ox0 = firstInside(xs, sw, ow), ox1 = endInside(xs, sw, w, ox0, ow);
                    int src = colOff + row * ld;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * s.strideH() - s.padH() + ky * s.dilH();
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int d = plane + iy * w + xs;
                        int c0 = src + oy * ow;
                        for (int ox = ox0; ox < ox1; ox++) {
                            dx[d + ox * sw] += col[c0 + ox];
                        }
                    }
                }
            }
        }
    }

    /** The first {@code ox} with {@code ox*stride + xs >= 0}, at most {@code ow}. */
    private static int firstInside(int xs, int stride, int ow) {
        return Math.min(ow, Math.max(0, Math.ceilDiv(-xs, stride)));
    }

    /** One past the last {@code ox} with {@code ox*stride + xs < w}, within {@code [ox0, ow]}. */
    private static int endInside(int xs, int stride, int w, int ox0, int ow) {
        return Math.max(ox0, Math.min(ow, Math.floorDiv(w - 1 - xs, stride) + 1));
    }
}
