package dev.lanes.nn.layers;

import dev.lanes.nn.F;
import dev.lanes.nn.Module;
import dev.lanes.nn.Var;
import dev.lanes.tensor.Shapes;

/**
 * A convolution whose kernel entries are KAN activations (Bodner et al. 2024): output channel
 * {@code o} at a position is {@code sum over (c, ky, kx) of phi_{o,c,ky,kx}(x[c, y+ky, x+kx])}
 * with {@code phi = w_b silu + w_s spline} as in {@link KANLinear}. Evaluated as patches (unfold),
 * then the KAN basis expansion and GEMM of a {@code KANLinear(C * kh * kw, out)} over all
 * patches at once. Parameters live in the child {@code kan}.
 */
public class KANConv2d extends Module {
    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final KANLinear kan;

    /** Grid of 5 intervals on [-1, 1], cubic splines. */
    public KANConv2d(int in, int out, int kernel, int stride, int padding) {
        this(in, out, kernel, stride, padding, 5, 3, -1f, 1f);
    }

    public KANConv2d(int in, int out, int kernel, int stride, int padding, int gridSize, int order, float lo, float hi) {
        if (in < 1 || out < 1 || kernel < 1 || stride < 1 || padding < 0) {
            throw new IllegalArgumentException("KANConv2d: channels, kernel and stride must be >= 1 and padding >= 0, got "
                    + in + " -> " + out + ", kernel " + kernel + ", stride " + stride + ", padding " + padding);
        }
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.kan = addModule("kan", new KANLinear(in * kernel * kernel, out, gridSize, order, lo, hi));
    }

    @Override
    public Var forward(Var x) {
        if (x.rank() != 4 || x.dim(1) != in) {
            throw new IllegalArgumentException("KANConv2d(" + in + ", " + out + "): input " + Shapes.toString(x.shape())
                    + " must be [N, " + in + ", H, W]");
        }
        int n = x.dim(0);
        int oh = (x.dim(2) + 2 * padding - kernel) / stride + 1, ow = (x.dim(3) + 2 * padding - kernel) / stride + 1;
        Var patches = F.unfold(x, kernel, kernel, stride, padding);              // [N, OH*OW, C*k*k]
        Var y = kan.forward(patches);                                             // [N, OH*OW, out]
        return layerOutput(F.reshape(F.transpose(y, 1, 2), n, out, oh, ow));
    }

    /** The KAN applied to every patch. */
    public KANLinear kan() {
        return kan;
    }

    @Override
    public String toString() {
        return "KANConv2d(" + in + ", " + out + ", kernel=" + kernel + (stride != 1 ? ", stride=" + stride : "")
                + (padding != 0 ? ", padding=" + padding : "") + ", G=" + kan.gridSize() + ", k=" + kan.order() + ")";
    }
}
