package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link ConvImplicitGemm} (the convolution as a GEMM over the padded input read in place)
 * against the naive reference, forward and backward-data, on the stride-1 shapes the direct
 * kernels are tested on plus wide-channel ones; bit-identical on 1, 2 and 3 threads.
 */
class ConvImplicitGemmTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    private static List<ConvShape> shapes() {
        List<ConvShape> out = ConvCases.stride1(23, 200, 40);
        out.add(ConvShape.of(2, 33, 8, 8, 35, 3, 1, 1, 1, 1));   // odd channel counts over 32
        out.add(ConvShape.of(1, 64, 9, 5, 17, 3, 1, 1, 1, 1));
        out.add(ConvShape.of(3, 40, 16, 16, 8, 3, 1, 0, 1, 1));
        out.add(new ConvShape(1, 5, 9, 7, 2, 3, 7, 1, 1, 0, 0, 1, 1, 1)); // output width 1
        out.add(new ConvShape(2, 3, 1, 6, 4, 1, 4, 1, 1, 0, 1, 1, 1, 1)); // one row, 1x4 kernel
        return out;
    }

    @Test
    void forwardMatchesTheReference() {
        SplittableRandom r = new SplittableRandom(41);
        for (ConvShape s : shapes()) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] bias = r.nextBoolean() ? ConvCases.random(r, s.cOut()) : null;
            float[] expected = new float[ConvCases.outputSize(s)];
            ConvReference.forward(s, x, 0, w, 0, bias, 0, expected, 0);
            float[] got = new float[expected.length + 3];
            Arrays.fill(got, Float.NaN);
            ConvImplicitGemm.forward(s, x, 0, w, 0, bias, 0, got, 3);
            ConvCases.assertClose("implicit-GEMM forward", s, expected, Arrays.copyOfRange(got, 3, got.length),
                    s.cIn() * s.kh() * s.kw() + 1);
        }
    }

    @Test
    void backwardDataMatchesTheReferenceAndAddsToDx() {
        SplittableRandom r = new SplittableRandom(42);
        for (ConvShape s : shapes()) {
            if (!ConvDirect.supportsBackwardData(s)) {
                continue;
            }
            float[] dy = ConvCases.random(r, ConvCases.outputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] dx0 = ConvCases.random(r, ConvCases.inputSize(s));
            float[] expected = dx0.clone();
            ConvReference.backwardData(s, dy, 0, w, 0, expected, 0);
            float[] got = dx0.clone();
            ConvImplicitGemm.backwardData(s, dy, 0, w, 0, got, 0);
            ConvCases.assertClose("implicit-GEMM backward-data", s, expected, got, s.cOut() * s.kh() * s.kw() + 1);
        }
    }

    @Test
    void weightAndBiasGradientsMatchTheReferenceAndAddToDwAndDb() {
        SplittableRandom r = new SplittableRandom(45);
        List<ConvShape> shapes = shapes();
        shapes.add(ConvShape.of(37, 3, 5, 6, 4, 3, 1, 1, 1, 1)); // several chunks, the last short
        for (ConvShape s : shapes) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), dy = ConvCases.random(r, ConvCases.outputSize(s));
            float[] dw0 = ConvCases.random(r, ConvCases.weightSize(s)), db0 = ConvCases.random(r, s.cOut());
            float[] dwWant = dw0.clone(), dbWant = db0.clone(), dw = dw0.clone(), db = db0.clone();
            ConvReference.backwardWeights(s, x, 0, dy, 0, dwWant, 0, dbWant, 0);
            ConvImplicitGemm.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0);
            int terms = s.n() * s.outH() * s.outW() + 1;
            ConvCases.assertClose("implicit-GEMM dw", s, dwWant, dw, terms);
            ConvCases.assertClose("implicit-GEMM db", s, dbWant, db, terms);
        }
    }

    @Test
    void resultsAreTheSameOnOneTwoAndThreeThreads() {
        SplittableRandom r = new SplittableRandom(43);
        for (ConvShape s : List.of(ConvShape.of(5, 33, 9, 11, 40, 3, 1, 1, 1, 1), ConvShape.of(1, 64, 12, 12, 70, 3, 1, 1, 1, 1),
                ConvShape.of(40, 16, 8, 8, 20, 3, 1, 1, 1, 1))) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] dy = ConvCases.random(r, ConvCases.outputSize(s));
            float[] firstY = null, firstDx = null, firstDw = null;
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                float[] y = new float[ConvCases.outputSize(s)], dx = new float[ConvCases.inputSize(s)];
                ConvImplicitGemm.forward(s, x, 0, w, 0, null, 0, y, 0);
                ConvImplicitGemm.backwardData(s, dy, 0, w, 0, dx, 0);
                float[] dw = new float[w.length];
                ConvImplicitGemm.backwardWeights(s, x, 0, dy, 0, dw, 0, null, 0);
                if (firstY == null) {
                    firstY = y;
                    firstDx = dx;
                    firstDw = dw;
                } else {
                    assertArrayEquals(firstDw, dw, 0f, "weight gradient " + s + " on " + t + " threads");
                    assertArrayEquals(firstY, y, 0f, "forward " + s + " on " + t + " threads");
                    assertArrayEquals(firstDx, dx, 0f, "backward-data " + s + " on " + t + " threads");
                }
            }
        }
    }

    @Test
    void theDispatcherSendsWideStride1LayersHereAndAgreesWithTheReference() {
        ConvShape resnet32 = ConvShape.of(3, 32, 16, 16, 32, 3, 1, 1, 1, 1);
        assertTrue(Conv2d.useImplicit(resnet32) && Conv2d.useImplicitBackwardData(resnet32));
        ConvShape resnet64 = ConvShape.of(3, 64, 8, 8, 64, 3, 1, 1, 1, 1);
        assertTrue(Conv2d.useImplicit(resnet64) && Conv2d.useImplicitWeights(resnet64));
        assertFalse(Conv2d.useImplicitWeights(resnet32) || Conv2d.useDirectWeights(resnet64));
        assertTrue(Conv2d.useDirectWeights(resnet32));
        assertTrue(Conv2d.useImplicit(ConvShape.of(3, 16, 32, 32, 16, 3, 1, 1, 1, 1)));
        // im2col on wide 8x8 layers, direct on few channels, neither on strided ones
        assertFalse(Conv2d.useImplicit(ConvShape.of(3, 256, 8, 8, 256, 3, 1, 1, 1, 1)));
        ConvShape pointwise = ConvShape.of(3, 192, 8, 8, 64, 1, 1, 0, 1, 1);
        assertFalse(Conv2d.useImplicit(pointwise) || Conv2d.useImplicitBackwardData(pointwise)
                || Conv2d.useImplicitWeights(pointwise));
        assertFalse(Conv2d.useDirectBackwardData(ConvShape.of(3, 192, 8, 8, 16, 1, 1, 0, 1, 1)));
        ConvShape stem = ConvShape.of(3, 3, 32, 32, 16, 3, 1, 1, 1, 1);
        assertFalse(Conv2d.useImplicit(stem) || Conv2d.useImplicitBackwardData(stem));
        assertTrue(Conv2d.useDirect(stem) && Conv2d.useDirectBackwardData(stem));
        assertFalse(Conv2d.useImplicit(ConvShape.of(3, 16, 32, 32, 32, 3, 2, 1, 1, 1)));
        SplittableRandom r = new SplittableRandom(44);
        float[] x = ConvCases.random(r, ConvCases.inputSize(resnet32)), w = ConvCases.random(r, ConvCases.weightSize(resnet32));
        float[] dy = ConvCases.random(r, ConvCases.outputSize(resnet32)), bias = ConvCases.random(r, 32);
        float[] expected = new float[dy.length], y = new float[dy.length];
        ConvReference.forward(resnet32, x, 0, w, 0, bias, 0, expected, 0);
        Conv2d.forward(resnet32, x, 0, w, 0, bias, 0, y, 0);
        ConvCases.assertClose("dispatched forward", resnet32, expected, y, 32 * 9 + 1);
        float[] dxWant = new float[x.length], dx = new float[x.length];
        ConvReference.backwardData(resnet32, dy, 0, w, 0, dxWant, 0);
        Conv2d.backwardData(resnet32, dy, 0, w, 0, dx, 0);
        ConvCases.assertClose("dispatched backward-data", resnet32, dxWant, dx, 32 * 9);
        ConvShape wide = ConvShape.of(3, 64, 6, 7, 64, 3, 1, 1, 1, 1);
        x = ConvCases.random(r, ConvCases.inputSize(wide));
        dy = ConvCases.random(r, ConvCases.outputSize(wide));
        float[] dwWant = new float[ConvCases.weightSize(wide)], dw = new float[dwWant.length];
        float[] dbWant = new float[64], db = new float[64];
        ConvReference.backwardWeights(wide, x, 0, dy, 0, dwWant, 0, dbWant, 0);
        Conv2d.backwardWeights(wide, x, 0, dy, 0, dw, 0, db, 0);
        ConvCases.assertClose("dispatched weight gradient", wide, dwWant, dw, 3 * 6 * 7 + 1);
    }

    @Test
    void otherShapesAreRefusedNamingTheShape() {
        ConvShape strided = ConvShape.of(1, 3, 9, 9, 4, 3, 2, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvImplicitGemm.forward(strided, new float[243], 0, new float[108], 0, null, 0, new float[100], 0));
        assertTrue(e.getMessage().contains("strideH=2"), e.getMessage());
        ConvShape padded = ConvShape.of(1, 3, 9, 9, 4, 3, 1, 3, 1, 1);
        e = assertThrows(IllegalArgumentException.class,
                () -> ConvImplicitGemm.backwardData(padded, new float[13 * 13 * 4], 0, new float[108], 0, new float[243], 0));
        assertTrue(e.getMessage().contains("padding"), e.getMessage());
    }
}
