package dev.lanes.nn;

import dev.lanes.nn.ops.Activations;
import dev.lanes.nn.ops.Arithmetic;
import dev.lanes.nn.ops.BatchNorm;
import dev.lanes.nn.ops.Capsules;
import dev.lanes.nn.ops.Convolution;
import dev.lanes.nn.ops.Dropout;
import dev.lanes.nn.ops.LocalResponseNorm;
import dev.lanes.nn.ops.Losses;
import dev.lanes.nn.ops.MatMul;
import dev.lanes.nn.ops.Pointwise;
import dev.lanes.nn.ops.Pooling;
import dev.lanes.nn.ops.Reductions;
import dev.lanes.nn.ops.ShapeOps;
import dev.lanes.nn.ops.Softmax;
import dev.lanes.tensor.Tensor;

import java.util.List;

/**
 * The functional ops: the one place where forward and backward passes are written (in
 * {@code dev.lanes.nn.ops}, one class per family). Each op runs on the tape of its inputs (see
 * {@link Tape}) and records its backward step when an input needs a gradient. Shapes follow
 * PyTorch: images are NCHW, weights are in PyTorch's layouts.
 */
public final class F {
    private F() {
    }

    // ---- linear algebra ------------------------------------------------------------------

    /** {@code x W^T + b}: x {@code [..., in]}, W {@code [out, in]}, b {@code [out]} or null. */
    public static Var linear(Var x, Var weight, Var bias) {
        return MatMul.linear(x, weight, bias);
    }

    /** {@code a b} for {@code [M, K] x [K, N]}, batched {@code [B, M, K] x [B, K, N]}, or one batched side. */
    public static Var matmul(Var a, Var b) {
        return MatMul.matmul(a, false, b, false);
    }

    /** {@code op(a) op(b)}, {@code op} transposing the last two dimensions when its flag is set (no copy). */
    public static Var matmul(Var a, boolean transA, Var b, boolean transB) {
        return MatMul.matmul(a, transA, b, transB);
    }

    // ---- convolution ---------------------------------------------------------------------

    public static Var conv2d(Var x, Var weight, Var bias) {
        return conv2d(x, weight, bias, 1, 0, 1, 1);
    }

    public static Var conv2d(Var x, Var weight, Var bias, int stride, int padding) {
        return conv2d(x, weight, bias, stride, padding, 1, 1);
    }

    public static Var conv2d(Var x, Var weight, Var bias, int stride, int padding, int dilation, int groups) {
        return Convolution.conv2d(x, weight, bias, stride, stride, padding, padding, dilation, dilation, groups);
    }

    public static Var conv2d(Var x, Var weight, Var bias, int strideH, int strideW, int padH, int padW,
                             int dilH, int dilW, int groups) {
        return Convolution.conv2d(x, weight, bias, strideH, strideW, padH, padW, dilH, dilW, groups);
    }

    /** Transposed convolution, weight {@code [in, out/groups, kh, kw]}. */
    public static Var convTranspose2d(Var x, Var weight, Var bias, int stride, int padding) {
        return convTranspose2d(x, weight, bias, stride, padding, 0, 1, 1);
    }

    public static Var convTranspose2d(Var x, Var weight, Var bias, int stride, int padding, int outputPadding,
                                      int dilation, int groups) {
        return Convolution.convTranspose2d(x, weight, bias, stride, stride, padding, padding, outputPadding,
                outputPadding, dilation, dilation, groups);
    }

    public static Var convTranspose2d(Var x, Var weight, Var bias, int strideH, int strideW, int padH, int padW,
                                      int outPadH, int outPadW, int dilH, int dilW, int groups) {
        return Convolution.convTranspose2d(x, weight, bias, strideH, strideW, padH, padW, outPadH, outPadW,
                dilH, dilW, groups);
    }

    // ---- pooling -------------------------------------------------------------------------

    /** Max pooling with stride = kernel and no padding. */
    public static Var maxPool2d(Var x, int kernel) {
        return maxPool2d(x, kernel, kernel, 0);
    }

    public static Var maxPool2d(Var x, int kernel, int stride, int padding) {
        return Pooling.maxPool2d(x, kernel, kernel, stride, stride, padding, padding);
    }

    public static Var maxPool2d(Var x, int kh, int kw, int strideH, int strideW, int padH, int padW) {
        return Pooling.maxPool2d(x, kh, kw, strideH, strideW, padH, padW);
    }

    /** Average pooling with stride = kernel and no padding. */
    public static Var avgPool2d(Var x, int kernel) {
        return avgPool2d(x, kernel, kernel, 0, true);
    }

    /** Average pooling; {@code countIncludePad} as in PyTorch (default true). */
    public static Var avgPool2d(Var x, int kernel, int stride, int padding, boolean countIncludePad) {
        return Pooling.avgPool2d(x, kernel, kernel, stride, stride, padding, padding, countIncludePad);
    }

    /** {@code [N, C, H, W] -> [N, C, 1, 1]}. */
    public static Var globalAvgPool2d(Var x) {
        return Pooling.globalAvgPool2d(x);
    }

    // ---- activations ---------------------------------------------------------------------

    public static Var relu(Var x) {
        return Activations.relu(x);
    }

    public static Var leakyRelu(Var x, float negativeSlope) {
        return Activations.leakyRelu(x, negativeSlope);
    }

    public static Var tanh(Var x) {
        return Activations.tanh(x);
    }

    public static Var sigmoid(Var x) {
        return Activations.sigmoid(x);
    }

    public static Var silu(Var x) {
        return Activations.silu(x);
    }

    /** The exact (erf) GELU. */
    public static Var gelu(Var x) {
        return Activations.gelu(x);
    }

    public static Var softmax(Var x, int axis) {
        return Softmax.softmax(x, axis);
    }

    public static Var logSoftmax(Var x, int axis) {
        return Softmax.logSoftmax(x, axis);
    }

    public static Var exp(Var x) {
        return Pointwise.exp(x);
    }

    public static Var log(Var x) {
        return Pointwise.log(x);
    }

    public static Var abs(Var x) {
        return Pointwise.abs(x);
    }

    public static Var square(Var x) {
        return Pointwise.square(x);
    }

    public static Var sqrt(Var x) {
        return Pointwise.sqrt(x);
    }

    /**
     * Dropout in training (identity otherwise); the mask comes from the tape's seed and the
     * element index, see {@link Dropout}.
     */
    public static Var dropout(Var x, float p, boolean training) {
        return Dropout.dropout(x, p, training);
    }

    // ---- normalization -------------------------------------------------------------------

    /**
     * Batch normalization over axis 1 ({@code [N, C]}, {@code [N, C, L]}, {@code [N, C, H, W]}).
     * In training the running statistics (if given) are updated in place.
     */
    public static Var batchNorm(Var x, Var weight, Var bias, Tensor runningMean, Tensor runningVar,
                                boolean training, float momentum, float eps) {
        return BatchNorm.batchNorm(x, weight, bias, runningMean, runningVar, training, momentum, eps);
    }

    /** Local response normalization across channels (PyTorch defaults: alpha 1e-4, beta 0.75, k 1). */
    public static Var localResponseNorm(Var x, int size, float alpha, float beta, float k) {
        return LocalResponseNorm.localResponseNorm(x, size, alpha, beta, k);
    }

    // ---- arithmetic (with broadcasting) -------------------------------------------------

    public static Var add(Var a, Var b) {
        return Arithmetic.add(a, b);
    }

    public static Var sub(Var a, Var b) {
        return Arithmetic.sub(a, b);
    }

    public static Var mul(Var a, Var b) {
        return Arithmetic.mul(a, b);
    }

    public static Var div(Var a, Var b) {
        return Arithmetic.div(a, b);
    }

    /** {@code alpha * x}. */
    public static Var scale(Var x, float alpha) {
        return Pointwise.scale(x, alpha);
    }

    /** {@code x + c}. */
    public static Var addScalar(Var x, float c) {
        return Pointwise.addScalar(x, c);
    }

    // ---- reductions ----------------------------------------------------------------------

    public static Var sum(Var x, int axis) {
        return Reductions.sum(x, new int[] {axis}, false);
    }

    public static Var sum(Var x, int[] axes, boolean keepDim) {
        return Reductions.sum(x, axes, keepDim);
    }

    /** Sum of all elements, shape {@code [1]}. */
    public static Var sum(Var x) {
        return Reductions.sumAll(x);
    }

    public static Var mean(Var x, int axis) {
        return Reductions.mean(x, new int[] {axis}, false);
    }

    public static Var mean(Var x, int[] axes, boolean keepDim) {
        return Reductions.mean(x, axes, keepDim);
    }

    /** Mean of all elements, shape {@code [1]}. */
    public static Var mean(Var x) {
        return Reductions.meanAll(x);
    }

    /** Euclidean norm along one axis (e.g. capsule lengths). */
    public static Var norm(Var x, int axis, boolean keepDim) {
        return Reductions.norm(x, axis, keepDim);
    }

    // ---- shapes --------------------------------------------------------------------------

    /** A zero constant of the given shape on the tape of {@code onTapeOf} (no gradient flows into it). */
    public static Var zeros(Var onTapeOf, int... shape) {
        return ShapeOps.zeros(onTapeOf, shape);
    }

    /** A view with a new shape (one dimension may be -1). */
    public static Var reshape(Var x, int... shape) {
        return ShapeOps.reshape(x, shape);
    }

    /** {@code [N, ...] -> [N, prod(...)]}. */
    public static Var flatten(Var x) {
        return ShapeOps.flatten(x, 1);
    }

    public static Var flatten(Var x, int startDim) {
        return ShapeOps.flatten(x, startDim);
    }

    public static Var permute(Var x, int... dims) {
        return ShapeOps.permute(x, dims);
    }

    public static Var transpose(Var x, int dim0, int dim1) {
        return ShapeOps.transpose(x, dim0, dim1);
    }

    public static Var concat(List<Var> xs, int axis) {
        return ShapeOps.concat(xs, axis);
    }

    /** The slice {@code [start, start + length)} along {@code axis}. */
    public static Var narrow(Var x, int axis, int start, int length) {
        return ShapeOps.narrow(x, axis, start, length);
    }

    public static List<Var> split(Var x, int axis, int... sizes) {
        return ShapeOps.split(x, axis, sizes);
    }

    /** Zero padding of {@code before} and {@code after} entries along {@code axis}. */
    public static Var pad(Var x, int axis, int before, int after) {
        return ShapeOps.pad(x, axis, before, after, 0f);
    }

    // ---- capsules ------------------------------------------------------------------------

    /** The capsule squash along {@code axis}. */
    public static Var squash(Var x, int axis) {
        return Capsules.squash(x, axis, 1e-8f);
    }

    // ---- Kolmogorov-Arnold splines -------------------------------------------------------

    /** {@code [..., F] -> [..., F, m - 1 - order]}: the B-spline basis on {@code grid [F, m]} (no gradient into the grid). */
    public static Var bsplineBasis(Var x, Tensor grid, int order) {
        return dev.lanes.nn.ops.Splines.bsplineBasis(x, grid, order);
    }

    /** Patches (im2col): {@code [N, C, H, W] -> [N, OH * OW, C * kh * kw]} in PyTorch's unfold order. */
    public static Var unfold(Var x, int kh, int kw, int stride, int padding) {
        return dev.lanes.nn.ops.Unfold.unfold(x, kh, kw, stride, padding);
    }

    /** Capsule predictions {@code W_ij u_i}: u {@code [B, I, inDim]}, w {@code [I, J, D, inDim]} -> {@code [B, I, J, D]}. */
    public static Var capsulePredictions(Var u, Var w) {
        return dev.lanes.nn.ops.DynamicRouting.predictions(u, w);
    }

    /** Dynamic routing by agreement of predictions {@code [B, I, J, D]} to capsules {@code [B, J, D]}. */
    public static Var dynamicRouting(Var uHat, int iterations) {
        return dev.lanes.nn.ops.DynamicRouting.route(uHat, iterations);
    }

    // ---- losses --------------------------------------------------------------------------

    /** Mean softmax cross-entropy of logits {@code [N, C]} against class indices. */
    public static Var crossEntropy(Var logits, int[] labels) {
        return Losses.crossEntropy(logits, labels, 0f);
    }

    public static Var crossEntropy(Var logits, int[] labels, float labelSmoothing) {
        return Losses.crossEntropy(logits, labels, labelSmoothing);
    }

    /** Mean squared error. */
    public static Var mseLoss(Var pred, Var target) {
        return Losses.mse(pred, target, Losses.Reduction.MEAN);
    }

    public static Var mseLoss(Var pred, Var target, Losses.Reduction reduction) {
        return Losses.mse(pred, target, reduction);
    }

    /** The capsule margin loss with the paper's constants (m+ 0.9, m- 0.1, lambda 0.5). */
    public static Var marginLoss(Var lengths, int[] labels) {
        return Losses.marginLoss(lengths, labels, 0.9f, 0.1f, 0.5f);
    }

    public static Var marginLoss(Var lengths, int[] labels, float mPlus, float mMinus, float lambda) {
        return Losses.marginLoss(lengths, labels, mPlus, mMinus, lambda);
    }
}
