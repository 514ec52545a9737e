package dev.lanes.tensor.conv;

import java.util.Arrays;

/**
 * Max pooling of one plane in two passes over a padded copy (any window, stride and padding):
 * first the maximum of every input row over a window of {@code kw} columns at each column,
 * then the maximum of {@code kh} of those rows at each output row, both as runs of
 * {@link MaxPoolKernel#maxInto} over whole planes, which the SIMD kernel does 16 lanes at a time
 * without a branch. A 3x3 window (GoogLeNet's pool branch) costs 2 + 2 running-maximum steps
 * per position instead of 8 comparisons, and the data-dependent branch of the one-pass loop,
 * mispredicted about once per window (some 27 ns an output), is gone.
 *
 * <p>The padding is a copy of the edge (the first and last column of each row, the first and
 * last row of row maxima), indexed as the element it copies: a window reaching into it sees
 * the element it would have seen clipped, once more, in a place that does not change which of
 * equal maxima comes first. So the result is the reference's, argmax included: the row pass
 * keeps the first of equal maxima in a row, the column pass the first row whose maximum wins,
 * so the winner is the first maximal input in row-major order, and the first NaN. Indices
 * travel as floats beside the values, exact for planes under 2^24 elements ({@link #fits}).
 * Stride-2 windows are computed at every column and read at every other one: the vector loop
 * over all positions costs less than gathering.
 */
final class MaxPoolRows {
    /** Per-thread buffers; they grow to the largest plane seen, then stay. */
    private static final ThreadLocal<MaxPoolRows> LOCAL = ThreadLocal.withInitial(MaxPoolRows::new);

    private float[] padded = new float[0];
    private float[] paddedIdx = new float[0];
    private float[] rows = new float[0];
    private float[] rowsIdx = new float[0];
    private float[] acc = new float[0];
    private float[] accIdx = new float[0];
    /** The shape {@code paddedIdx} was made for: h, w, padW. */
    private int idxH = -1, idxW = -1, idxPad = -1;

    private MaxPoolRows() {
    }

    /** True when a plane's flat indices are exact as floats. */
    static boolean fits(PoolShape s) {
        return (long) s.h() * s.w() <= 1 << 24;
    }

    /** Pools plane {@code x[in ...]} into {@code y[out ...]} and {@code argmax[aOut ...]} (flat indices in the plane). */
    static void plane(MaxPoolKernel k, PoolShape s, float[] x, int in, float[] y, int out, int[] argmax, int aOut) {
        LOCAL.get().run(k, s, x, in, y, out, argmax, aOut);
    }

    private void run(MaxPoolKernel k, PoolShape s, float[] x, int in, float[] y, int out, int[] argmax, int aOut) {
        int h = s.h(), w = s.w(), oh = s.outH(), ow = s.outW();
        int kh = s.kh(), kw = s.kw(), sh = s.strideH(), sw = s.strideW(), ph = s.padH(), pw = s.padW();
        int wp = w + 2 * pw, hp = h + 2 * ph;
        ensure(h, w, pw, wp, hp, oh);
        // rows of x with pw copies of the first and last element on either side
        for (int iy = 0; iy < h; iy++) {
            int r = in + iy * w, q = iy * wp;
            Arrays.fill(padded, q, q + pw, x[r]);
            System.arraycopy(x, r, padded, q + pw, w);
            Arrays.fill(padded, q + pw + w, q + wp, x[r + w - 1]);
        }
        // row pass: rows[ph + iy][c] = max over padded[iy][c .. c + kw); windows that run into the next row are never read
        int n = h * wp - (kw - 1), top = ph * wp;
        System.arraycopy(padded, 0, rows, top, n);
        System.arraycopy(paddedIdx, 0, rowsIdx, top, n);
        for (int kx = 1; kx < kw; kx++) {
            k.maxInto(padded, paddedIdx, kx, rows, rowsIdx, top, n);
        }
        for (int r = 0; r < ph; r++) {
            System.arraycopy(rows, top, rows, r * wp, wp);
            System.arraycopy(rowsIdx, top, rowsIdx, r * wp, wp);
            System.arraycopy(rows, top + (h - 1) * wp, rows, (ph + h + r) * wp, wp);
            System.arraycopy(rowsIdx, top + (h - 1) * wp, rowsIdx, (ph + h + r) * wp, wp);
        }
        // column pass: acc[oy][c] = max over rows[oy * sh .. oy * sh + kh)[c]
        if (sh == 1) {
            System.arraycopy(rows, 0, acc, 0, oh * wp);
            System.arraycopy(rowsIdx, 0, accIdx, 0, oh * wp);
            for (int ky = 1; ky < kh; ky++) {
                k.maxInto(rows, rowsIdx, ky * wp, acc, accIdx, 0, oh * wp);
            }
        } else {
            for (int oy = 0; oy < oh; oy++) {
                System.arraycopy(rows, oy * sh * wp, acc, oy * wp, wp);
                System.arraycopy(rowsIdx, oy * sh * wp, accIdx, oy * wp, wp);
                for (int ky = 1; ky < kh; ky++) {
                    k.maxInto(rows, rowsIdx, (oy * sh + ky) * wp, acc, accIdx, oy * wp, wp);
                }
            }
        }
        for (int oy = 0; oy < oh; oy++) {
            int a = oy * wp, o = oy * ow;
            if (sw == 1) {
                System.arraycopy(acc, a, y, out + o, ow);
                for (int ox = 0; ox < ow; ox++) {
                    argmax[aOut + o + ox] = (int) accIdx[a + ox];
                }
            } else {
                for (int ox = 0; ox < ow; ox++) {
                    y[out + o + ox] = acc[a + ox * sw];
                    argmax[aOut + o + ox] = (int) accIdx[a + ox * sw];
                }
            }
        }
    }

    private void ensure(int h, int w, int pw, int wp, int hp, int oh) {
        if (padded.length < h * wp) {
            padded = new float[h * wp];
            paddedIdx = new float[h * wp];
            idxH = -1;
        }
        if (rows.length < hp * wp) {
            rows = new float[hp * wp];
            rowsIdx = new float[hp * wp];
        }
        if (acc.length < oh * wp) {
            acc = new float[oh * wp];
            accIdx = new float[oh * wp];
        }
        if (idxH != h || idxW != w || idxPad != pw) {
            // the flat index of the element each padded position holds (the edge for the copies)
            for (int iy = 0; iy < h; iy++) {
                for (int c = 0; c < wp; c++) {
                    paddedIdx[iy * wp + c] = iy * w + Math.min(w - 1, Math.max(0, c - pw));
                }
            }
            idxH = h;
            idxW = w;
            idxPad = pw;
        }
    }
}
