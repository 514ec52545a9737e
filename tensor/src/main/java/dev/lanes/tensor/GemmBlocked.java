package dev.lanes.tensor;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The BLIS-style driver around a {@link GemmKernel}. K is cut into slices of at most KC; the
 * rows of C into tasks of at most MC rows (plus column ranges when there are too few rows to
 * feed every thread). A task walks the K slices in order: it packs its rows of op(A) for
 * the slice, then runs the micro-kernel over every MR x NR tile of its rows, column group
 * by column group. A B micro-panel (KC x NR) stays in L1 while the tiles of one column walk
 * down the packed A block held in L2.
 *
 * <p>op(B) is packed once per call into one buffer that all threads share, on demand, in
 * groups of a few panels: the first task that needs a (slice, group) claims it with a CAS
 * and packs it; a task that finds a group being packed by another thread works on other
 * groups meanwhile. So a call is one parallel loop with no barrier: the workers of the pool
 * park between loops, and every extra loop costs a wake-up (about 60-70 us measured here),
 * which at 256^3 on two threads is a quarter of the whole product.
 *
 * <p>Determinism: the slices depend on K alone, and a task applies them to its rows in
 * order, each element as one chain of multiply-adds; threads only decide who computes a
 * tile. Buffers live in thread-locals and grow on demand, so the steady state allocates
 * none of them. Called from inside a parallel region it runs on the calling thread.
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
    /** Row tasks per thread at least, when several threads share a product. */
    static final int TASKS_PER_THREAD = 4;
    /** Rows of a task at least (unless M is smaller), when several threads share a product. */
    static final int MIN_TASK_ROWS = 32;
    /** Columns in a group of B panels, the unit of on-demand packing. */
    static final int GROUP_COLS = 64;
    /** Largest packed B (floats, 32 MiB); wider products are done in column blocks of this size. */
    static final int B_LIMIT = 8 << 20;
    /** Below this many multiply-adds a product runs on one thread: waking a worker costs more. */
    static final long PARALLEL_MIN_MACS = 1L << 21;

    private static final int UNPACKED = 0;
    private static final int CLAIMED = 1;
    private static final int PACKED = 2;

    private static final float[] EMPTY = new float[0];
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private GemmBlocked() {
    }

    /** Arguments are already checked; M, N, K > 0. */
    static void sgemm(GemmKernel kernel, boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        sgemm(kernel, B_LIMIT, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    /** With a given limit on the packed B, so that tests can force several column blocks. */
    static void sgemm(GemmKernel kernel, int bLimit, boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        new Job(kernel, bLimit, transA, transB, m, n, k, alpha, a, aOff, lda, null, b, bOff, ldb, null, beta, c, cOff,
                ldc)
                .run();
    }

    /** A given by its rows ({@link GemmKernel#packARows}); arguments are already checked, M, N, K > 0. */
    static void sgemmRowsA(GemmKernel kernel, int m, int n, int k, float alpha, float[] a, int[] aRows,
                           boolean transB, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        new Job(kernel, B_LIMIT, false, transB, m, n, k, alpha, a, 0, k, aRows, b, bOff, ldb, null, beta, c, cOff, ldc)
                .run();
    }

    /** B given by its rows ({@link GemmKernel#packBRows}); arguments are already checked, M, N, K > 0. */
    static void sgemmRows(GemmKernel kernel, boolean transA, int m, int n, int k, float alpha,
                          float[] a, int aOff, int lda, float[] b, int[] bRows, float beta, float[] c, int cOff, int ldc) {
        new Job(kernel, B_LIMIT, transA, false, m, n, k, alpha, a, aOff, lda, null, b, 0, n, bRows, beta, c, cOff, ldc)
                .run();
    }

    /** One call's state; the fields of the current column block change between blocks. */
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
        /** Row starts of A, or null for an A with leading dimension {@code lda}. */
        final int[] aRows;
        final float[] b;
        final int bOff;
        final int ldb;
        /** Row starts of B, or null for a B with leading dimension {@code ldb}. */
        final int[] bRows;
        final float[] c;
        final int cOff;
        final int ldc;
        final int threads;
        final int kc;
        final int slices;
        final int rowsPerTask;
        final int rowTasks;
        final int colSplit;
        final int ncMax;
        final int groupPanels;
        final float[] pb;
        final AtomicIntegerArray state;
        final Parallel.RangeBody computeBody = this::computeTasks;

        int jc;
        int nc;
        int panels;
        int groups;
        int colTasks;
        int panelsPerTask;

        Job(GemmKernel kernel, int bLimit, boolean transA, boolean transB, int m, int n, int k, float alpha,
            float[] a, int aOff, int lda, int[] aRows, float[] b, int bOff, int ldb, int[] bRows, float beta, float[] c,
            int cOff, int ldc) {
            this.kernel = kernel;
            this.aRows = aRows;
            this.bRows = bRows;
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
            boolean small = (long) m * n * k < PARALLEL_MIN_MACS;
            this.threads = small || Parallel.inParallelRegion() ? 1 : Parallel.threads();
            // Equal slices (K = 576 gives 288 + 288, not 512 + 64); they depend on K alone.
            this.slices = ceilDiv(k, KC);
            this.kc = ceilDiv(k, slices);
            int mcMax = Math.max(mr, MC / mr * mr);
            int nPadded = roundUp(n, nr);
            this.ncMax = (long) k * nPadded <= bLimit ? nPadded : Math.max(nr, bLimit / k / nr * nr);
            int rowSplit;
            if (threads == 1) {
                rowSplit = ceilDiv(m, mcMax);
                this.colSplit = 1;
                this.groupPanels = Math.max(1, GROUP_COLS / nr);
            } else {
                // At least TASKS_PER_THREAD tasks per thread, so that a worker that wakes up
                // late (tens of microseconds) still finds a fair share of the work: rows first
                // (none taller than MC, none shorter than MIN_TASK_ROWS, which would re-read
                // each B micro-panel for too few tiles), then column ranges.
                int want = threads * TASKS_PER_THREAD;
                int minRows = Math.min(roundUp(m, mr), MIN_TASK_ROWS);
                rowSplit = Math.max(ceilDiv(m, mcMax), Math.min(want, m / minRows));
                this.colSplit = ceilDiv(want, rowSplit);
                // At least two groups of B panels per thread, so that packing B is shared.
                this.groupPanels = Math.max(1, Math.min(GROUP_COLS / nr, ncMax / nr / (2 * threads)));
            }
            this.rowsPerTask = roundUp(ceilDiv(m, rowSplit), mr);
            this.rowTasks = ceilDiv(m, rowsPerTask);
            Buffers own = BUFFERS.get();
            this.pb = own.packedB(k * ncMax);
            this.state = own.states(slices * ceilDiv(ncMax / nr, groupPanels));
        }

        void run() {
            for (jc = 0; jc < n; jc += ncMax) {
                nc = Math.min(ncMax, n - jc);
                panels = ceilDiv(nc, nr);
                groups = ceilDiv(panels, groupPanels);
                for (int i = 0; i < slices * groups; i++) {
                    state.set(i, UNPACKED);
                }
                panelsPerTask = ceilDiv(panels, Math.min(panels, colSplit));
                colTasks = ceilDiv(panels, panelsPerTask);
                if (threads == 1) {
                    computeTasks(0, rowTasks * colTasks);
                } else {
                    Parallel.parallelFor(rowTasks * colTasks, 1, computeBody);
                }
            }
        }

        private void computeTasks(int from, int to) {
            Buffers own = BUFFERS.get();
            float[] edge = own.edge(mr * nr);
            for (int t = from; t < to; t++) {
                int i0 = (t / colTasks) * rowsPerTask;
                int mc = Math.min(rowsPerTask, m - i0);
                int q0 = (t % colTasks) * panelsPerTask;
                int q1 = Math.min(panels, q0 + panelsPerTask);
                float[] pa = own.packedA(roundUp(mc, mr) * kc);
                int[] pending = own.pending(groups);
                int cBase = cOff + i0 * ldc + jc;
                for (int s = 0; s < slices; s++) {
                    int pc = s * kc;
                    int kcs = Math.min(kc, k - pc);
                    if (aRows == null) {
                        kernel.packA(transA, a, aOff, lda, i0, mc, pc, kcs, pa);
                    } else {
                        kernel.packARows(a, aRows, i0, mc, pc, kcs, pa);
                    }
                    runSlice(s, pc, kcs, mc, q0, q1, pa, s == 0 ? beta : 1f, cBase, pending, edge);
                }
            }
        }

        /**
         * Panels {@code q0 .. q1} of one K slice, group by group in whatever order the groups
         * become available; packs the groups nobody has claimed yet.
         */
        private void runSlice(int s, int pc, int kcs, int mc, int q0, int q1, float[] pa, float sliceBeta,
                              int cBase, int[] pending, float[] edge) {
            int pbBase = pc * panels * nr;
            int g0 = q0 / groupPanels;
            int remaining = ceilDiv(q1, groupPanels) - g0;
            for (int x = 0; x < remaining; x++) {
                pending[x] = g0 + x;
            }
            while (remaining > 0) {
                boolean progress = false;
                for (int x = 0; x < remaining; ) {
                    int g = pending[x];
                    int id = s * groups + g;
                    int gFrom = g * groupPanels;
                    int gTo = Math.min(panels, gFrom + groupPanels);
                    if (state.get(id) != PACKED) {
                        if (!state.compareAndSet(id, UNPACKED, CLAIMED)) {
                            x++;
                            continue;
                        }
                        if (bRows == null) {
                            kernel.packB(transB, b, bOff, ldb, pc, kcs, jc, nc, pb, pbBase, gFrom, gTo);
                        } else {
                            kernel.packBRows(b, bRows, pc, kcs, jc, nc, pb, pbBase, gFrom, gTo);
                        }
                        state.set(id, PACKED);
                    }
                    macroKernel(kernel, mr, nr, mc, nc, kcs, pa, pb, pbBase, Math.max(q0, gFrom), Math.min(q1, gTo),
                            alpha, sliceBeta, c, cBase, ldc, edge);
                    pending[x] = pending[--remaining];
                    progress = true;
                }
                if (!progress) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * Every tile of an mc x (panels q0..q1) block. Full tiles go straight to C; edge tiles
     * are computed whole into {@code edge} (the packed panels are zero-padded) and the valid
     * part is stored with the same {@code alpha * acc + beta * c} as a full tile.
     */
    static void macroKernel(GemmKernel kernel, int mr, int nr, int mc, int nc, int kc, float[] pa, float[] pb,
                            int pbBase, int q0, int q1, float alpha, float beta, float[] c, int cBase, int ldc,
                            float[] edge) {
        for (int q = q0; q < q1; q++) {
            int j = q * nr;
            int cols = Math.min(nr, nc - j);
            int pbOff = pbBase + j * kc;
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

    /** A thread's buffers; they only grow. */
    private static final class Buffers {
        float[] a = EMPTY;
        float[] b = EMPTY;
        float[] edge = EMPTY;
        int[] pending = new int[0];
        AtomicIntegerArray states = new AtomicIntegerArray(0);

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

        int[] pending(int size) {
            if (pending.length < size) {
                pending = new int[size];
            }
            return pending;
        }

        AtomicIntegerArray states(int size) {
            if (states.length() < size) {
                states = new AtomicIntegerArray(size);
            }
            return states;
        }
    }
}
