package dev.lanes.tensor.conv;

/**
 * Pooling entry points that ops call; forward overwrites, backward adds into {@code dx}.
 * Today they run the reference loops; the fast kernels go behind these signatures.
 */
public final class Pool2d {
    private Pool2d() {
    }

    public static void maxForward(PoolShape s, float[] x, int xOff, float[] y, int yOff, int[] argmax, int aOff) {
        PoolReference.maxForward(s, x, xOff, y, yOff, argmax, aOff);
    }

    public static void maxBackward(PoolShape s, float[] dy, int dyOff, int[] argmax, int aOff, float[] dx, int dxOff) {
        PoolReference.maxBackward(s, dy, dyOff, argmax, aOff, dx, dxOff);
    }

    public static void avgForward(PoolShape s, boolean countPad, float[] x, int xOff, float[] y, int yOff) {
        PoolReference.avgForward(s, countPad, x, xOff, y, yOff);
    }

    public static void avgBackward(PoolShape s, boolean countPad, float[] dy, int dyOff, float[] dx, int dxOff) {
        PoolReference.avgBackward(s, countPad, dy, dyOff, dx, dxOff);
    }

    public static void globalAvgForward(int n, int c, int plane, float[] x, int xOff, float[] y, int yOff) {
        PoolReference.globalAvgForward(n, c, plane, x, xOff, y, yOff);
    }

    public static void globalAvgBackward(int n, int c, int plane, float[] dy, int dyOff, float[] dx, int dxOff) {
        PoolReference.globalAvgBackward(n, c, plane, dy, dyOff, dx, dxOff);
    }
}
