package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.nn.init.Init;
import dev.lanes.nn.ops.Splines;
import dev.lanes.tensor.BSplineBasis;
import dev.lanes.tensor.Shapes;
import dev.lanes.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A Kolmogorov-Arnold layer (Liu et al. 2024): every input-output edge {@code (o, i)} carries a
 * learnable activation {@code phi(x) = w_b silu(x) + w_s spline(x)}, and {@code y_o = sum_i phi_oi(x_i)}.
 * The spline is a B-spline of order {@code k} (default 3) on a grid of {@code G} intervals
 * (default 5) extended by {@code k} on each side, so it has {@code G + k} coefficients.
 *
 * <p>Evaluated, as in "efficient-kan", as a basis expansion followed by GEMMs:
 * {@code y = silu(x) W_b^T + B(x) (W_s * s)^T} with {@code B(x)} the {@code [batch, in * (G + k)]}
 * basis and {@code W_s * s} the spline coefficients scaled per edge. Parameter names follow
 * efficient-kan: {@code base_weight [out, in]}, {@code spline_weight [out, in, G + k]},
 * {@code spline_scaler [out, in]}, buffer {@code grid [in, G + 2k + 1]}.
 *
 * <p>{@link #updateGrid} moves the grid to the data (quantiles mixed with a uniform grid) and
 * refits the coefficients to the current activations by least squares; {@link #extended} does
 * the same onto a finer grid (coarse-to-fine grid extension) and returns the new layer.
 * {@link #regularization} is the paper's L1 and entropy penalty on the edge activations.
 */
public class KANLinear extends Module {
    /** Weight of the uniform grid in a data-adaptive grid (efficient-kan's {@code grid_eps}). */
    public static final float GRID_EPS = 0.02f;

    private final int in;
    private final int out;
    private final int gridSize;
    private final int order;
    private final Tensor grid;
    private final Var baseWeight;
    private final Var splineWeight;
    private final Var splineScaler;
    /** While capturing ({@link #captureInputs}): at most this many input rows are kept; 0 = off. */
    private int captureRows;
    private Tensor captured;

    /** {@code G = 5}, {@code k = 3} on {@code [-1, 1]}. */
    public KANLinear(int in, int out) {
        this(in, out, 5, 3, -1f, 1f);
    }

    public KANLinear(int in, int out, int gridSize, int order, float lo, float hi) {
        if (in < 1 || out < 1 || gridSize < 1 || order < 0) {
            throw new IllegalArgumentException("KANLinear: need in, out, grid size >= 1 and order >= 0, got in=" + in
                    + " out=" + out + " G=" + gridSize + " k=" + order);
        }
        this.in = in;
        this.out = out;
        this.gridSize = gridSize;
        this.order = order;
        int m = gridSize + 2 * order + 1, nb = gridSize + order;
        this.baseWeight = addParameter("base_weight", Tensor.zeros(out, in));
        this.splineWeight = addParameter("spline_weight", Tensor.zeros(out, in, nb));
        this.splineScaler = addParameter("spline_scaler", Tensor.zeros(out, in));
        this.grid = addBuffer("grid", Tensor.zeros(in, m));
        float[] knots = BSplineBasis.uniformKnots(lo, hi, gridSize, order);
        for (int i = 0; i < in; i++) {
            System.arraycopy(knots, 0, grid.data(), grid.offset() + i * m, m);
        }
        resetParameters(constructionRandom());
    }

    /**
     * efficient-kan's initialisation: base weight and spline scaler as PyTorch's default linear
     * weight (uniform in {@code +-1/sqrt(in)}); spline coefficients small noise of size
     * {@code 0.1 / G}, so each edge starts close to {@code w_b silu(x)}.
     */
    @Override
    protected void resetParameters(SplittableRandom random) {
        double bound = 1.0 / Math.sqrt(in);
        Init.uniform(baseWeight.value(), -bound, bound, random);
        Init.uniform(splineScaler.value(), -bound, bound, random);
        double noise = 0.1 / gridSize / 2;
        Init.uniform(splineWeight.value(), -noise, noise, random);
    }

    @Override
    public Var forward(Var x) {
        Var flat = flattenRows(x);
        int rows = flat.dim(0);
        if (captureRows > 0) {
            captured = evenRows(flat.value(), captureRows);
        }
        Var base = F.linear(F.silu(flat), baseWeight, null);
        Var basis = F.reshape(F.bsplineBasis(flat, grid, order), rows, in * (gridSize + order));
        Var spline = F.linear(basis, F.reshape(scaledSplineWeight(), out, in * (gridSize + order)), null);
        Var y = F.add(base, spline);
        if (x.rank() != 2) {
            int[] shape = x.shape().clone();
            shape[shape.length - 1] = out;
            y = F.reshape(y, shape);
        }
        return layerOutput(y);
    }

    /**
     * From now on every forward pass keeps a copy of (up to {@code maxRows} evenly spaced rows of)
     * its flattened input {@code [rows, in]}, the data a grid update fits to; see
     * {@link #takeCapturedInput}.
     */
    public void captureInputs(int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("KANLinear.captureInputs: need maxRows >= 1, got " + maxRows);
        }
        captureRows = maxRows;
        captured = null;
    }

    /** Stops capturing and returns the input of the last forward pass since {@link #captureInputs} (null if none). */
    public Tensor takeCapturedInput() {
        Tensor c = captured;
        captureRows = 0;
        captured = null;
        return c;
    }

    /** Rows {@code floor(i * rows / n)} of {@code x [rows, cols]} for {@code n = min(rows, maxRows)}, copied. */
    static Tensor evenRows(Tensor x, int maxRows) {
        int rows = x.dim(0), cols = x.dim(1), n = Math.min(rows, maxRows);
        Tensor dst = Tensor.zeros(n, cols);
        for (int i = 0; i < n; i++) {
            int r = (int) ((long) i * rows / n);
            System.arraycopy(x.data(), x.offset() + r * cols, dst.data(), i * cols, cols);
        }
        return dst;
    }

    private Var flattenRows(Var x) {
        if (x.rank() < 1 || x.dim(-1) != in) {
            throw new IllegalArgumentException("KANLinear(" + in + ", " + out + "): input " + Shapes.toString(x.shape())
                    + " must end with " + in + " features");
        }
        return x.rank() == 2 ? x : F.reshape(x, -1, in);
    }

    /** {@code spline_weight * spline_scaler[..., None]}: the coefficients the forward pass uses, {@code [out, in, G + k]}. */
    public Var scaledSplineWeight() {
        return F.mul(splineWeight, F.reshape(splineScaler, out, in, 1));
    }

    /**
     * The activation of every edge, {@code [in, rows, out]}: {@code phi_oi(x[r, i])}. The tape
     * ops the regularisation is built from.
     */
    public Var edgeActivations(Var x) {
        Var flat = flattenRows(x);
        int rows = flat.dim(0), nb = gridSize + order;
        Var basis = F.permute(F.bsplineBasis(flat, grid, order), 1, 0, 2);           // [in, rows, nb]
        Var coeff = F.permute(scaledSplineWeight(), 1, 2, 0);                          // [in, nb, out]
        Var spline = F.matmul(basis, coeff);                                           // [in, rows, out]
        Var act = F.reshape(F.transpose(F.silu(flat), 0, 1), in, rows, 1);             // [in, rows, 1]
        Var wb = F.reshape(F.transpose(baseWeight, 0, 1), in, 1, out);                 // [in, 1, out]
        return F.add(F.mul(act, wb), spline);
    }

    /**
     * The paper's regularisation: with {@code |phi_oi|_1} the mean absolute activation of edge
     * {@code (o, i)} over the batch, {@code l1 = sum |phi|_1} and
     * {@code entropy = -sum p log p} for {@code p = |phi|_1 / l1}; returns
     * {@code l1Weight * l1 + entropyWeight * entropy} (a one-element value).
     */
    public Var regularization(Var x, float l1Weight, float entropyWeight) {
        Var edge = F.mean(F.abs(edgeActivations(x)), new int[] {1}, false);            // [in, out]
        Var l1 = F.sum(edge);
        Var p = F.div(edge, l1);
        Var entropy = F.scale(F.sum(F.mul(p, F.log(F.addScalar(p, 1e-12f)))), -1f);
        return F.add(F.scale(l1, l1Weight), F.scale(entropy, entropyWeight));
    }

    /**
     * Moves the grid to the data {@code x [rows, in]} and refits the spline coefficients to the
     * activations the layer had before, by least squares (efficient-kan's {@code update_grid}).
     * Needs more rows than {@code G + k}.
     */
    public void updateGrid(Tensor x, float margin) {
        KANLinear fitted = fitted(x, gridSize, margin);
        grid.copyFrom(fitted.grid);
        splineWeight.value().copyFrom(fitted.splineWeight.value());
    }

    /**
     * Grid extension (coarse to fine): a layer with {@code newGridSize} intervals on a grid
     * adapted to {@code x}, its splines fitted by least squares to this layer's edge
     * activations on {@code x}; base weights and scalers are copied.
     */
    public KANLinear extended(int newGridSize, Tensor x) {
        return fitted(x, newGridSize, 0.01f);
    }

    private KANLinear fitted(Tensor x, int newGridSize, float margin) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException("KANLinear grid update: data " + Shapes.toString(x.shape())
                    + " must be [rows, " + in + "]");
        }
        int rows = x.dim(0), m = gridSize + 2 * order + 1, nb = gridSize + order;
        if (rows <= newGridSize + order) {
            throw new IllegalArgumentException("KANLinear grid update: " + rows + " rows cannot fit "
                    + (newGridSize + order) + " coefficients per edge");
        }
        KANLinear next = new KANLinear(in, out, newGridSize, order, -1f, 1f);
        next.baseWeight.value().copyFrom(baseWeight.value());
        next.splineScaler.value().copyFrom(splineScaler.value());
        next.grid.copyFrom(adaptiveGrid(x, newGridSize, order, margin));
        // this layer's spline outputs per edge: targets(i)[r, o] = sum_j B_j(x[r, i]) c[o, i, j]
        float[] basis = new float[rows * in * nb];
        float[] knotsT = new float[m * in];
        BSplineBasis.transposeKnots(grid.data(), grid.offset(), in, m, knotsT, 0);
        BSplineBasis.eval(x.data(), x.offset(), rows, in, knotsT, 0, m, order, basis, 0, null, 0);
        float[] w = splineWeight.value().data(), s = splineScaler.value().data();
        int wo = splineWeight.value().offset(), so = splineScaler.value().offset();
        int nbNew = newGridSize + order;
        float[] coeff = Splines.fitCoefficients(x, next.grid, order, out, (i, dst) -> {
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    double acc = 0;
                    for (int j = 0; j < nb; j++) {
                        acc += (double) basis[(r * in + i) * nb + j] * w[wo + (o * in + i) * nb + j];
                    }
                    dst[r * out + o] = (float) (acc * s[so + o * in + i]);
                }
            }
        });
        float[] nw = next.splineWeight.value().data();
        int nwo = next.splineWeight.value().offset();
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                float scale = s[so + o * in + i];
                for (int j = 0; j < nbNew; j++) {
                    float c = coeff[(i * nbNew + j) * out + o];
                    nw[nwo + (o * in + i) * nbNew + j] = Math.abs(scale) < 1e-12f ? 0f : c / scale;
                }
            }
        }
        return next;
    }

    /**
     * efficient-kan's data-adaptive grid: per feature, {@code G + 1} points at the sorted data's
     * evenly spaced ranks, mixed ({@link #GRID_EPS}) with the uniform grid over the data's range
     * widened by {@code margin}, then extended by {@code order} uniform steps on each side.
     */
    static Tensor adaptiveGrid(Tensor x, int intervals, int order, float margin) {
        int rows = x.dim(0), features = x.dim(1), m = intervals + 2 * order + 1;
        Tensor g = Tensor.zeros(features, m);
        float[] col = new float[rows];
        for (int f = 0; f < features; f++) {
            for (int r = 0; r < rows; r++) {
                col[r] = x.data()[x.offset() + r * features + f];
            }
            Arrays.sort(col);
            double step = ((double) col[rows - 1] - col[0] + 2 * margin) / intervals;
            double[] pts = new double[intervals + 1];
            for (int j = 0; j <= intervals; j++) {
                int rank = (int) ((long) j * (rows - 1) / intervals);
                double uniform = col[0] - margin + j * step;
                pts[j] = GRID_EPS * uniform + (1 - GRID_EPS) * col[rank];
            }
            float[] ga = g.data();
            for (int j = 0; j < m; j++) {
                int p = j - order;
                double v = p < 0 ? pts[0] + p * step : p > intervals ? pts[intervals] + (p - intervals) * step : pts[p];
                ga[f * m + j] = (float) v;
            }
        }
        return g;
    }

    public int inFeatures() {
        return in;
    }

    public int outFeatures() {
        return out;
    }

    public int gridSize() {
        return gridSize;
    }

    public int order() {
        return order;
    }

    /** The knots, {@code [in, G + 2k + 1]} (a buffer: saved, not trained). */
    public Tensor grid() {
        return grid;
    }

    public Var baseWeight() {
        return baseWeight;
    }

    public Var splineWeight() {
        return splineWeight;
    }

    public Var splineScaler() {
        return splineScaler;
    }

    @Override
    public String toString() {
        return "KANLinear(" + in + ", " + out + ", G=" + gridSize + ", k=" + order + ")";
    }
}
