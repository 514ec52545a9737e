package dev.lanes.tensor.conv;

/**
 * Pooling entry points that ops call; forward overwrites, backward adds into {@code dx}.
 * They run {@link PoolKernels}, which give the reference's results (see there) faster.
 */
public final class Pool2d {
    private Pool2d() {
    }

    public static void maxForward(PoolShape s, float[] x, int xOff, float[] y, int yOff, int[] argmax, int aOff) {
        PoolKernels.maxForward(s, x, xOff, y, yOff, argmax, aOff);
    }

    public static void maxBackward(PoolShape s, float[] dy, int dyOff, int[] argmax, int aOff, float[] dx, int dxOff) {
        PoolKernels.maxBackward(s, dy, dyOff, argmax, aOff, dx, dxOff);
    }

    public static void avgForward(PoolShape s, boolean countPad, float[] x, int xOff, float[] y, int yOff) {
        PoolKernels.avgForward(s, countPad, x, xOff, y, yOff);
    }

    public static void avgBackward(PoolShape s, boolean countPad, float[] dy, int dyOff, float[] dx, int dxOff) {
        PoolKernels.avgBackward(s, countPad, dy, dyOff, dx, dxOff);
    }

    public static void globalAvgForward(int n, int c, int plane, float[] x, int xOff, float[] y, int yOff) {
        PoolKernels.globalAvgForward(n, c, plane, x, xOff, y, yOff);
    }

    public static void globalAvgBackward(int n, int c, int plane, float[] dy, int dyOff, float[] dx, int dxOff) {
        PoolKernels.globalAvgBackward(n, c, plane, dy, dyOff, dx, dxOff);
    }
}
