package dev.lanes.tensor;

/**
 * The compute core behind {@link Gemm}: a register-blocked micro-kernel over packed panels
 * and a path for small products that packs nothing. {@link GemmBlocked} does the cache
 * blocking, packing and threading around it. Two implementations: {@link GemmScalarKernel}
 * and {@code dev.lanes.tensor.simd.GemmSimdKernel} (loaded by name through
 * {@link Vectorization#load}).
 *
 * <p>Determinism: {@link #tile} computes every element of the tile as a chain of
 * multiply-adds over {@code p = 0 .. kc-1} in order, starting from zero, then applies
 * {@code alpha} and {@code beta} to it alone; so an element's value never depends on where
 * it sits in a tile or on which thread ran the tile.
 */
public interface GemmKernel {
    /** Rows of the register tile (and of a packed A micro-panel). */
    int mr();

    /** Columns of the register tile (and of a packed B micro-panel). */
    int nr();

    /** A short description for benchmark output, e.g. {@code "SIMD 256-bit, tile 4x16"}. */
    String describe();

    /**
     * Packs rows {@code i0 .. i0+mc} and columns {@code p0 .. p0+kc} of op(A) into MR-row
     * micro-panels: element (r, p) of the panel that starts at row {@code ip} lands at
     * {@code pa[ip*kc + p*MR + r]}; rows past mc are zero. (Each kernel packs with its own
     * MR and NR as compile-time constants, which lets C2 drop the bounds checks.)
     */
    void packA(boolean transA, float[] a, int aOff, int lda, int i0, int mc, int p0, int kc, float[] pa);

    /**
     * {@link #packA} for A given by its rows (not transposed): row {@code i} of A starts at
     * {@code a[aRows[i]]} (see {@link #packBRows}).
     */
    void packARows(float[] a, int[] aRows, int i0, int mc, int p0, int kc, float[] pa);

    /**
     * Packs NR-column micro-panels {@code from .. to} of the block of op(B) at rows
     * {@code p0 .. p0+kc} and columns {@code j0 .. j0+nc}: element (p, q) of panel {@code t}
     * lands at {@code pb[pbOff + t*NR*kc + p*NR + q]}; columns past nc are zero.
     */
    void packB(boolean transB, float[] b, int bOff, int ldb, int p0, int kc, int j0, int nc,
               float[] pb, int pbOff, int from, int to);

    /**
     * {@link #packB} for B given by its rows (not transposed): row {@code p} of B starts at
     * {@code b[bRows[p]]}, so a matrix whose rows lie anywhere in one array (the unfolded input
     * of a convolution, read in place) is packed without being copied first.
     */
    void packBRows(float[] b, int[] bRows, int p0, int kc, int j0, int nc, float[] pb, int pbOff, int from, int to);

    /**
     * One full MR x NR tile: {@code C = alpha * Apanel * Bpanel + beta * C} where the A
     * micro-panel holds {@code kc} columns of MR floats from {@code pa[paOff]} and the B
     * micro-panel {@code kc} rows of NR floats from {@code pb[pbOff]}. With {@code beta == 0}
     * C is overwritten. The C tile starts at {@code c[cOff]}, rows {@code ldc} apart.
     */
    void tile(int kc, float[] pa, int paOff, float[] pb, int pbOff,
              float alpha, float beta, float[] c, int cOff, int ldc);

    /**
     * The whole product without packing, on the calling thread, for problems so small that
     * packing would cost more than it saves. Returns false (and touches nothing) for the
     * transpose combinations it does not handle. Arguments are already checked.
     */
    boolean small(boolean transA, boolean transB, int m, int n, int k, float alpha,
                  float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                  float beta, float[] c, int cOff, int ldc);
}
