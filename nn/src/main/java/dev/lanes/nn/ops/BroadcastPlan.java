package dev.lanes.nn.ops;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;

import java.util.Arrays;

/**
 * How two shapes broadcast (NumPy rules: align on the right, a dimension of 1 stretches), with
 * the iteration space collapsed to as few dimensions as possible: dimensions of size 1 are
 * dropped and neighbours that are contiguous for all three tensors merge. The last collapsed
 * dimension is the inner run; each operand walks it with stride 1 or 0 (broadcast).
 */
final class BroadcastPlan {
    final int[] outShape;
    final int[] dims;
    final int[] aStride;
    final int[] bStride;
    final int[] oStride;
    final int inner;
    final int outer;
    final int size;

    /** One contiguous run of the output: {@code len} elements from {@code o}, operands at {@code ia}, {@code ib} with strides {@code sa}, {@code sb} (0 or 1). */
    @FunctionalInterface
    interface Run {
        void run(int o, int ia, int ib, int len, int sa, int sb);
    }

    private BroadcastPlan(int[] outShape, int[] dims, int[] aStride, int[] bStride, int[] oStride) {
        this.outShape = outShape;
        this.dims = dims;
        this.aStride = aStride;
        this.bStride = bStride;
        this.oStride = oStride;
        this.inner = dims[dims.length - 1];
        this.size = Shapes.size(outShape);
        this.outer = inner == 0 ? 0 : size / inner;
    }

    static BroadcastPlan of(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        int[] ea = new int[r];
        int[] eb = new int[r];
        for (int i = 0; i < r; i++) {
            ea[i] = i < r - a.length ? 1 : a[i - (r - a.length)];
            eb[i] = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (ea[i] != eb[i] && ea[i] != 1 && eb[i] != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Shapes.toString(a) + " and " + Shapes.toString(b)
                        + " do not broadcast (dimension " + i + " of the aligned shapes: " + ea[i] + " vs " + eb[i] + ")");
            }
            out[i] = Math.max(ea[i], eb[i]);
        }
        int[] sa = contiguousStrides(ea);
        int[] sb = contiguousStrides(eb);
        int[] so = contiguousStrides(out);
        int[] d = new int[r + 1];
        int[] ca = new int[r + 1];
        int[] cb = new int[r + 1];
        int[] co = new int[r + 1];
        int k = 0;
        for (int i = 0; i < r; i++) {
            if (out[i] == 1) {
                continue;
            }
            int sai = ea[i] == 1 ? 0 : sa[i];
            int sbi = eb[i] == 1 ? 0 : sb[i];
            if (k > 0 && ca[k - 1] == sai * out[i] && cb[k - 1] == sbi * out[i] && co[k - 1] == so[i] * out[i]) {
                d[k - 1] *= out[i];
                ca[k - 1] = sai;
                cb[k - 1] = sbi;
                co[k - 1] = so[i];
            } else {
                d[k] = out[i];
                ca[k] = sai;
                cb[k] = sbi;
                co[k] = so[i];
                k++;
            }
        }
        if (k == 0) {
            d[0] = 1;
            ca[0] = 0;
            cb[0] = 0;
            co[0] = 1;
            k = 1;
        }
        return new BroadcastPlan(out, Arrays.copyOf(d, k), Arrays.copyOf(ca, k), Arrays.copyOf(cb, k), Arrays.copyOf(co, k));
    }

    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** Visits the inner runs with outer index in {@code [from, to)}, in order. */
    void forEach(int from, int to, int aOff, int bOff, int oOff, Run run) {
        int k = dims.length - 1;
        int[] idx = new int[Math.max(k, 1)];
        int rem = from;
        int ia = aOff, ib = bOff, o = oOff;
        for (int d = k - 1; d >= 0; d--) {
            idx[d] = rem % dims[d];
            rem /= dims[d];
            ia += idx[d] * aStride[d];
            ib += idx[d] * bStride[d];
            o += idx[d] * oStride[d];
        }
        int sa = aStride[k], sb = bStride[k];
        for (int it = from; it < to; it++) {
            run.run(o, ia, ib, inner, sa, sb);
            for (int d = k - 1; d >= 0; d--) {
                ia += aStride[d];
                ib += bStride[d];
                o += oStride[d];
                if (++idx[d] < dims[d]) {
                    break;
                }
                ia -= aStride[d] * dims[d];
                ib -= bStride[d] * dims[d];
                o -= oStride[d] * dims[d];
                idx[d] = 0;
            }
        }
    }

    /** Visits every run, in parallel over outer indices (each run touches its own output). */
    void forEachParallel(int aOff, int bOff, int oOff, Run run) {
        int grain = Math.max(1, (1 << 14) / Math.max(1, inner));
        Parallel.parallelFor(outer, grain, (s, e) -> forEach(s, e, aOff, bOff, oOff, run));
    }

    /**
     * Visits every run for a reduction into operand a (a += ...): runs that share an element
     * of a are visited by one task in order. Parallel over the first collapsed dimension when
     * a is not broadcast along it, else serial.
     */
    void forEachReducingIntoA(int aOff, int bOff, int oOff, Run run) {
        reducing(aStride, aOff, bOff, oOff, run);
    }

    /** As {@link #forEachReducingIntoA}, for operand b. */
    void forEachReducingIntoB(int aOff, int bOff, int oOff, Run run) {
        reducing(bStride, aOff, bOff, oOff, run);
    }

    private void reducing(int[] targetStride, int aOff, int bOff, int oOff, Run run) {
        if (dims.length >= 2 && targetStride[0] != 0) {
            int per = outer / dims[0];
            Parallel.parallelFor(dims[0], Math.max(1, (1 << 14) / Math.max(1, per * inner)),
                    (s, e) -> forEach(s * per, e * per, aOff, bOff, oOff, run));
        } else {
            forEach(0, outer, aOff, bOff, oOff, run);
        }
    }
}
