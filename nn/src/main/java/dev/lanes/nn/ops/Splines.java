package dev.lanes.nn.ops;

import dev.lanes.nn.Tape;
import dev.lanes.nn.Var;
import dev.lanes.tensor.BSplineBasis;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

/** The B-spline basis expansion of Kolmogorov-Arnold layers, with its gradient in the input. */
public final class Splines {
    private Splines() {
    }

    /**
     * {@code [..., F] -> [..., F, m - 1 - order]}: every input's B-spline basis of order
     * {@code order} on the knots of its feature, {@code grid [F, m]} (not trained, so no gradient
     * flows into it). When a gradient will be needed the forward pass computes the basis
     * derivatives in the same sweep and keeps them; the backward pass multiplies the incoming
     * gradient by them.
     */
    public static Var bsplineBasis(Var x, Tensor grid, int order) {
        Tape t = Tape.of(x);
        Tensor xv = x.value();
        int[] xs = xv.shape();
        if (xs.length < 1 || grid.rank() != 2 || grid.dim(0) != xs[xs.length - 1]) {
            throw new IllegalArgumentException("bsplineBasis: input " + Shapes.toString(xs) + " does not match grid "
                    + Shapes.toString(grid.shape()) + " ([features, knots]: features must be the last input dimension)");
        }
        int features = grid.dim(0), m = grid.dim(1);
        if (order < 0 || m < order + 2) {
            throw new IllegalArgumentException("bsplineBasis: order " + order + " needs at least " + (order + 2)
                    + " knots, the grid " + Shapes.toString(grid.shape()) + " has " + m);
        }
        int nb = m - 1 - order, rows = xv.size() / Math.max(1, features);
        Tensor knotsT = t.alloc(m, features);
        BSplineBasis.transposeKnots(grid.data(), grid.offset(), features, m, knotsT.data(), knotsT.offset());
        Tensor recip = t.alloc(BSplineBasis.reciprocalsSize(features, m, order));
        BSplineBasis.reciprocals(knotsT.data(), knotsT.offset(), features, m, order, recip.data(), recip.offset());
        int[] ys = java.util.Arrays.copyOf(xs, xs.length + 1);
        ys[xs.length] = nb;
        Tensor y = t.alloc(ys);
        boolean grad = t.needsGrad(x);
        // with a gradient to come, the basis derivatives are computed in the same pass and kept
        Tensor slopes = grad ? t.alloc(ys) : null;
        BSplineBasis.eval(xv.data(), xv.offset(), rows, features, knotsT.data(), knotsT.offset(), recip.data(),
                recip.offset(), m, order, y.data(), y.offset(), grad ? slopes.data() : null, grad ? slopes.offset() : 0);
        t.addFlops(4L * rows * features * (m - 1) * (order + 1));
        Var out = t.output("bsplineBasis", y, grad);
        if (out.requiresGrad()) {
            t.record(out, dy -> {
                Tensor dx = t.gradOf(x);
                float[] da = dx.data(), ga = dy.data(), sa = slopes.data();
                int dOff = dx.offset(), gOff = dy.offset(), sOff = slopes.offset();
                Parallel.parallelFor(rows * features, Math.max(1, 4096 / nb), (s, e) -> {
                    for (int i = s; i < e; i++) {
                        float acc = 0f;
                        for (int j = 0; j < nb; j++) {
                            acc += ga[gOff + i * nb + j] * sa[sOff + i * nb + j];
                        }
                        da[dOff + i] += acc;
                    }
                });
            });
        }
        return out;
    }

    /**
     * Least-squares spline coefficients (no tape): for every feature {@code f}, the
     * {@code [nb, outputs]} coefficients {@code c} that minimise
     * {@code sum_r |sum_j B_j(x[r, f]) c[j, :] - targets(f)[r, :]|^2} over the rows of {@code x}
     * ({@code [rows, F]}), with the basis of order {@code order} on {@code grid [F, m]}. The
     * targets of a feature come from {@code targets.fill(f, dst)} ({@code [rows, outputs]}).
     * Solved through the normal equations in double with a tiny ridge, so that basis functions
     * no data reaches (the grid's outer extension) get coefficients near zero instead of a
     * singular system. Returns {@code [F, nb, outputs]}.
     */
    public static float[] fitCoefficients(Tensor x, Tensor grid, int order, int outputs, Targets targets) {
        int rows = x.dim(0), features = x.dim(1), m = grid.dim(1), nb = m - 1 - order;
        if (grid.dim(0) != features) {
            throw new IllegalArgumentException("fitCoefficients: input " + Shapes.toString(x.shape())
                    + " does not match grid " + Shapes.toString(grid.shape()));
        }
        float[] result = new float[features * nb * outputs];
        Parallel.parallelFor(features, 1, (s, e) -> {
            float[] col = new float[rows], basis = new float[rows * nb], y = new float[rows * outputs];
            float[] knots = new float[m];
            double[] ata = new double[nb * nb], aty = new double[nb * outputs];
            for (int f = s; f < e; f++) {
                for (int r = 0; r < rows; r++) {
                    col[r] = x.data()[x.offset() + r * features + f];
                }
                System.arraycopy(grid.data(), grid.offset() + f * m, knots, 0, m);
                BSplineBasis.eval(col, 0, rows, 1, knots, 0, m, order, basis, 0, null, 0);
                targets.fill(f, y);
                java.util.Arrays.fill(ata, 0);
                java.util.Arrays.fill(aty, 0);
                for (int r = 0; r < rows; r++) {
                    for (int i = 0; i < nb; i++) {
                        double bi = basis[r * nb + i];
                        if (bi == 0) {
                            continue;
                        }
                        for (int j = 0; j < nb; j++) {
                            ata[i * nb + j] += bi * basis[r * nb + j];
                        }
                        for (int o = 0; o < outputs; o++) {
                            aty[i * outputs + o] += bi * y[r * outputs + o];
                        }
                    }
                }
                double trace = 0;
                for (int i = 0; i < nb; i++) {
                    trace += ata[i * nb + i];
                }
                double ridge = 1e-6 * trace / nb + 1e-10;
                for (int i = 0; i < nb; i++) {
                    ata[i * nb + i] += ridge;
                }
                solveCholesky(ata, aty, nb, outputs);
                for (int i = 0; i < nb * outputs; i++) {
                    result[f * nb * outputs + i] = (float) aty[i];
                }
            }
        });
        return result;
    }

    /** Supplies the fitting targets of one feature. */
    @FunctionalInterface
    public interface Targets {
        /** Writes the {@code [rows, outputs]} targets of feature {@code feature} into {@code dst}. */
        void fill(int feature, float[] dst);
    }

    /** Solves {@code A X = B} in place ({@code B} becomes X) for symmetric positive definite {@code A [n, n]}. */
    static void solveCholesky(double[] a, double[] b, int n, int cols) {
        for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) {
                d -= a[j * n + k] * a[j * n + k];
            }
            if (!(d > 0)) {
                throw new ArithmeticException("spline fit: the normal equations are not positive definite (pivot "
                        + j + " = " + d + ")");
            }
            double l = Math.sqrt(d);
            a[j * n + j] = l;
            for (int i = j + 1; i < n; i++) {
                double v = a[i * n + j];
                for (int k = 0; k < j; k++) {
                    v -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = v / l;
            }
        }
        for (int c = 0; c < cols; c++) {
            for (int i = 0; i < n; i++) {
                double v = b[i * cols + c];
                for (int k = 0; k < i; k++) {
                    v -= a[i * n + k] * b[k * cols + c];
                }
                b[i * cols + c] = v / a[i * n + i];
            }
            for (int i = n - 1; i >= 0; i--) {
                double v = b[i * cols + c];
                for (int k = i + 1; k < n; k++) {
                    v -= a[k * n + i] * b[k * cols + c];
                }
                b[i * cols + c] = v / a[i * n + i];
            }
        }
    }
}
