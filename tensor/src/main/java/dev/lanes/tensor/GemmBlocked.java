package dev.lanes.tensor;

/**
 * The BLIS-style driver around a {@link GemmKernel}: C is cut into NC-wide column blocks,
 * K into KC-deep slices; for each (column block, K slice) the slice of op(B) is packed once
 * into a buffer that all threads share, then the rows are split into tasks, each of which
 * packs its own MC x KC block of op(A) and runs the micro-kernel over every MR x NR tile of
 * its rows. A micro-panel of packed B (KC x NR) stays in L1 while the tiles of one column
 * walk down the packed A block held in L2.
 *
 * <p>Determinism: KC is a constant, so the K slices, and with them the order of every
 * element's additions, never depend on the thread count; tasks only decide which thread
 * computes a tile. Packing buffers live in thread-locals and grow on demand, so the steady
 * state allocates none. Called from inside a parallel region it runs on the calling thread.
 */
final class GemmBlocked {
    /**
     * Largest depth of a K slice. Deeper slices mean fewer passes over C (each pass after the
     * first loads and stores all of C); 512 measured best on Zen 3 even though a B
     * micro-panel (KC x 16 floats) then fills L1.
     */
    static final int KC = 512;
    /** Rows of a packed A block (MC x KC floats = 128 KiB, a quarter of a 512 KiB L2). */
    static final int MC = 64;
    /** Columns of a packed B block (KC x NC floats = 2 MiB, shared through L3). */
    static final int NC = 2048;
    /** B slices smaller than this (in floats) are packed by the calling thread alone. */
    private static final int PARALLEL_PACK_MIN = 16 * 1024;

    private static final float[] EMPTY = new float[0];
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private GemmBlocked() {
    }

    /** Arguments are already checked; M, N, K > 0. */
    static void sgemm(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        Job job = new Job(kernel, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        job.run();
    }

    /** One call's state; the fields of the current (column block, K slice) change between loops. */
    private static final class Job {
        final GemmKernel kernel;
        final int mr;
        final int nr;
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final float alpha;
        final float beta;
        final float[] a;
        final int aOff;
        final int lda;
        final float[] b;
        final int bOff;
        final int ldb;
        final float[] c;
        final int cOff;
        final int ldc;
        final int threads;
        final int rowsPerTask;
        final int rowTasks;
        final int kcMax;
        final int ncMax;
        final float[] pb;
        final Parallel.RangeBody packBody = this::packPanels;
        final Parallel.RangeBody computeBody = this::computeTasks;

        int jc;
        int nc;
        int pc;
        int kc;
        float sliceBeta;
        int panels;
        int colTasks;
        int panelsPerTask;

        Job(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
            this.kernel = kernel;
            this.mr = kernel.mr();
            this.nr = kernel.nr();
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.threads = Parallel.inParallelRegion() ? 1 : Parallel.threads();
            int mcMax = Math.max(mr, MC / mr * mr);
            // A multiple of the thread count of equal row tasks, none taller than MC.
            int tasks = threads * ceilDiv(m, threads * mcMax);
            this.rowsPerTask = roundUp(ceilDiv(m, tasks), mr);
            this.rowTasks = ceilDiv(m, rowsPerTask);
            // Equal slices (K = 576 gives 288 + 288, not 512 + 64); they depend on K alone.
            this.kcMax = ceilDiv(k, ceilDiv(k, KC));
            this.ncMax = Math.min(Math.max(nr, NC / nr * nr), roundUp(n, nr));
            this.pb = BUFFERS.get().packedB(kcMax * ncMax);
        }

        void run() {
            for (jc = 0; jc < n; jc += ncMax) {
                nc = Math.min(ncMax, n - jc);
                panels = ceilDiv(nc, nr);
                // Too few row tasks to feed every thread: split the columns as well.
                int split = rowTasks >= threads ? 1 : Math.min(panels, ceilDiv(threads, rowTasks));
                panelsPerTask = ceilDiv(panels, split);
                colTasks = ceilDiv(panels, panelsPerTask);
                for (pc = 0; pc < k; pc += kcMax) {
                    kc = Math.min(kcMax, k - pc);
                    sliceBeta = pc == 0 ? beta : 1f;
                    int minPanels = Math.max(1, PARALLEL_PACK_MIN / (kc * nr));
                    Parallel.parallelFor(panels, Math.max(minPanels, ceilDiv(panels, threads)), packBody);
                    Parallel.parallelFor(rowTasks * colTasks, 1, computeBody);
                }
            }
        }

        private void packPanels(int from, int to) {
            kernel.packB(transB, b, bOff, ldb, pc, kc, jc, nc, pb, from, to);
        }

        private void computeTasks(int from, int to) {
            Buffers own = BUFFERS.get();
            for (int t = from; t < to; t++) {
                int i0 = (t / colTasks) * rowsPerTask;
                int mc = Math.min(rowsPerTask, m - i0);
                int q0 = (t % colTasks) * panelsPerTask;
                int q1 = Math.min(panels, q0 + panelsPerTask);
                float[] pa = own.packedA(roundUp(mc, mr) * kc);
                kernel.packA(transA, a, aOff, lda, i0, mc, pc, kc, pa);
                macroKernel(kernel, mr, nr, mc, nc, kc, pa, pb, q0, q1, alpha, sliceBeta,
                        c, cOff + i0 * ldc + jc, ldc, own.edge(mr * nr));
            }
        }
    }

    /**
     * Every tile of an mc x (panels q0..q1) block. Full tiles go straight to C; edge tiles
     * are computed whole into {@code edge} (the packed panels are zero-padded) and the valid
     * part is stored with the same {@code alpha * acc + beta * c} as a full tile.
     */
    static void macroKernel(GemmKernel kernel, int mr, int nr, int mc, int nc, int kc, float[] pa, float[] pb,
                            int q0, int q1, float alpha, float beta, float[] c, int cBase, int ldc, float[] edge) {
        for (int q = q0; q < q1; q++) {
            int j = q * nr;
            int cols = Math.min(nr, nc - j);
            int pbOff = j * kc;
            for (int i = 0; i < mc; i += mr) {
                int rows = Math.min(mr, mc - i);
                int cij = cBase + i * ldc + j;
                if (rows == mr && cols == nr) {
                    kernel.tile(kc, pa, i * kc, pb, pbOff, alpha, beta, c, cij, ldc);
                } else {
                    kernel.tile(kc, pa, i * kc, pb, pbOff, 1f, 0f, edge, 0, nr);
                    storeEdge(edge, nr, rows, cols, alpha, beta, c, cij, ldc);
                }
            }
        }
    }

    private static void storeEdge(float[] edge, int nr, int rows, int cols, float alpha, float beta,
                                  float[] c, int cOff, int ldc) {
        for (int r = 0; r < rows; r++) {
            int ci = cOff + r * ldc;
            for (int q = 0; q < cols; q++) {
                float acc = edge[r * nr + q];
                c[ci + q] = beta == 0f ? alpha * acc : alpha * acc + beta * c[ci + q];
            }
        }
    }

    static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    static int roundUp(int x, int multiple) {
        return ceilDiv(x, multiple) * multiple;
    }

    /** A thread's packing buffers; they only grow. */
    private static final class Buffers {
        float[] a = EMPTY;
        float[] b = EMPTY;
        float[] edge = EMPTY;

        float[] packedA(int size) {
            if (a.length < size) {
                a = new float[size];
            }
            return a;
        }

        float[] packedB(int size) {
            if (b.length < size) {
                b = new float[size];
            }
            return b;
        }

        float[] edge(int size) {
            if (edge.length < size) {
                edge = new float[size];
            }
            return edge;
        }
    }
}
