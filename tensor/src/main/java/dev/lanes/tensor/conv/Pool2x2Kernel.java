package dev.lanes.tensor.conv;

/**
 * Average pooling with 2x2 windows, stride 2 and no padding (LeNet-5's), one row of {@code ow}
 * windows per call: a scalar twin ({@link Pool2x2Scalar}) and a SIMD
 * implementation ({@code dev.lanes.tensor.simd.Pool2x2Simd}) that works along the pair of input
 * rows and splits even and odd columns with lane shuffles. Both give {@link PoolReference}'s
 * results bit for bit: the same additions in the same order.
 *
 * <p>A window's top-left input is at {@code i + 2k} for window {@code k}, its bottom row
 * {@code w} further; an odd last column is never read. The calls are per row, not per plane,
 * so that the just-in-time compiler sees thousands of calls within the first training steps
 * and compiles the vector code early (until then, vector operations are slow and allocate).
 * (Max pooling has its own kernel, {@link MaxPoolKernel}: a 2x2 max pool with argmax and the
 * reference's NaN rule in this per-row form was too big for the compiler to keep unboxed in
 * every calling context, and allocated in some training steps; the running maximum of
 * {@link MaxPoolRows} is one small loop.)
 */
public interface Pool2x2Kernel {
    /** {@code y[o + k] = (x00 + x01 + x10 + x11) / 4}, summed from 0 in that order as the reference does. */
    void avgRow(float[] x, int i, int w, int ow, float[] y, int o);

    /** {@code dx[each input of window k] += dy[o + k] / 4}. */
    void avgBackwardRow(float[] dy, int o, int ow, float[] dx, int i, int w);
}
