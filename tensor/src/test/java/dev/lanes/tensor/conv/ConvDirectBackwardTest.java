package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Vectorization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The direct backward passes: backward-data on the forward kernel, the weight gradient on its own kernel. */
class ConvDirectBackwardTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Stride-1 single-group shapes: the awkward list's, plus zoo-like layers, width-1 outputs and block tails. */
    private static List<ConvShape> shapes() {
        List<ConvShape> out = ConvCases.stride1(41, 240, 40);
        out.add(ConvShape.of(3, 3, 33, 37, 9, 3, 1, 1, 1, 1));
        out.add(ConvShape.of(2, 16, 32, 32, 16, 3, 1, 1, 1, 1));
        out.add(ConvShape.of(5, 18, 8, 8, 7, 3, 1, 1, 1, 1));   // two input-channel groups, chunks of several samples
        out.add(ConvShape.of(3, 1, 32, 32, 6, 5, 1, 0, 1, 1));
        out.add(ConvShape.of(3, 6, 14, 14, 16, 5, 1, 0, 1, 1));
        out.add(new ConvShape(1, 5, 9, 7, 2, 3, 7, 1, 1, 0, 0, 1, 1, 1)); // output width 1
        out.add(new ConvShape(2, 3, 1, 6, 5, 1, 4, 1, 1, 0, 1, 1, 1, 1)); // one row, kernel width 4 (a 3+1 column split)
        out.add(ConvShape.of(1, 2, 5, 5, 3, 9, 1, 4, 1, 1));            // 9x9 kernel, output 5x5
        out.add(ConvShape.of(2, 4, 6, 6, 5, 3, 1, 3, 1, 1));            // padding as large as the kernel: im2col only
        return out;
    }

    @Test
    void backwardDataAddsTheReferenceGradientAndSimdEqualsItsScalarTwin() {
        SplittableRandom r = new SplittableRandom(51);
        int tested = 0;
        for (ConvShape s : shapes()) {
            if (!ConvDirect.supportsBackwardData(s)) {
                assertTrue(s.padH() >= s.kh() || s.padW() >= s.kw(), s.toString());
                continue;
            }
            tested++;
            float[] dy = ConvCases.random(r, ConvCases.outputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] start = ConvCases.random(r, ConvCases.inputSize(s));
            float[] expected = start.clone();
            ConvReference.backwardData(s, dy, 0, w, 0, expected, 0);
            float[] fast = shifted(start, 3), scalar = start.clone();
            ConvDirect.backwardData(s, shifted(dy, 1), 1, shifted(w, 2), 2, fast, 3);
            ConvDirect.backwardDataScalar(s, dy, 0, w, 0, scalar, 0);
            float[] fastOut = Arrays.copyOfRange(fast, 3, fast.length);
            ConvCases.assertClose("direct backward-data", s, expected, fastOut, s.cOut() * s.kh() * s.kw() + 1);
            assertArrayEquals(scalar, fastOut, 0f, "SIMD and scalar twin on " + s + " (" + Vectorization.describe() + ")");
        }
        assertTrue(tested > 20, "too few shapes: " + tested);
    }

    @Test
    void backwardWeightsAddsTheReferenceGradientsOnSimdAndScalarTwin() {
        SplittableRandom r = new SplittableRandom(52);
        for (ConvShape s : shapes()) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), dy = ConvCases.random(r, ConvCases.outputSize(s));
            float[] dwStart = ConvCases.random(r, ConvCases.weightSize(s)), dbStart = ConvCases.random(r, s.cOut());
            float[] dwExpected = dwStart.clone(), dbExpected = dbStart.clone();
            ConvReference.backwardWeights(s, x, 0, dy, 0, dwExpected, 0, dbExpected, 0);
            int terms = s.n() * s.outH() * s.outW();
            float[] dw = shifted(dwStart, 3), db = shifted(dbStart, 1);
            ConvDirectWeights.backwardWeights(s, shifted(x, 2), 2, shifted(dy, 4), 4, dw, 3, db, 1);
            ConvCases.assertClose("direct dw", s, dwExpected, Arrays.copyOfRange(dw, 3, dw.length), terms);
            ConvCases.assertClose("direct db", s, dbExpected, Arrays.copyOfRange(db, 1, db.length), terms);
            float[] dwScalar = dwStart.clone();
            ConvDirectWeights.backwardWeightsScalar(s, x, 0, dy, 0, dwScalar, 0, null, 0);
            ConvCases.assertClose("scalar twin dw", s, dwExpected, dwScalar, terms);
            // the twins sum in different orders (lanes, then lane totals), so they agree to rounding
            ConvCases.assertClose("SIMD vs scalar twin dw", s, dwScalar, Arrays.copyOfRange(dw, 3, dw.length), terms);
        }
    }

    @Test
    void resultsAreBitIdenticalOnOneTwoAndThreeThreads() {
        List<ConvShape> shapes = List.of(
                ConvShape.of(7, 16, 16, 16, 16, 3, 1, 1, 1, 1),
                ConvShape.of(5, 3, 32, 32, 8, 3, 1, 1, 1, 1),
                ConvShape.of(9, 20, 8, 8, 9, 3, 1, 1, 1, 1),   // two input-channel groups, chunks of 9 samples
                ConvShape.of(1, 16, 20, 20, 32, 3, 1, 1, 1, 1), // one sample: channel blocks in parallel
                ConvShape.of(4, 6, 14, 14, 16, 5, 1, 0, 1, 1));
        SplittableRandom r = new SplittableRandom(53);
        for (ConvShape s : shapes) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] dy = ConvCases.random(r, ConvCases.outputSize(s));
            float[][] first = null;
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                float[] dx = new float[x.length], dw = new float[w.length], db = new float[s.cOut()];
                ConvDirect.backwardData(s, dy, 0, w, 0, dx, 0);
                ConvDirectWeights.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0);
                float[] dxDispatched = new float[x.length], dwDispatched = new float[w.length];
                Conv2d.backwardData(s, dy, 0, w, 0, dxDispatched, 0);
                Conv2d.backwardWeights(s, x, 0, dy, 0, dwDispatched, 0, null, 0);
                float[][] all = {dx, dw, db, dxDispatched, dwDispatched};
                if (first == null) {
                    first = all;
                } else {
                    for (int i = 0; i < all.length; i++) {
                        assertArrayEquals(first[i], all[i], 0f, "output " + i + " of " + s + " on " + t + " threads");
                    }
                }
            }
        }
    }

    @Test
    void chunksDependOnTheShapeAlone() {
        ConvWeightGradKernel sixteenLanes = new ConvWeightGradKernel() {
            @Override
            public int lanes() {
                return 16;
            }

            @Override
            public void correlate(float[] dyp, int dOff, int dChan, int dSample, int cos, float[] xp, int xOff,
                                  int xSample, int samples, int len, int kw, float[] sums, float[] work) {
                throw new AssertionError("not called");
            }
        };
        // 32x32 output, rows of 34: 1088 positions, one sample per chunk; 8x8: 80 positions, 13 samples
        assertEquals(1, ConvDirectWeights.samplesPerChunk(sixteenLanes, ConvShape.of(64, 16, 32, 32, 16, 3, 1, 1, 1, 1)));
        assertEquals(13, ConvDirectWeights.samplesPerChunk(sixteenLanes, ConvShape.of(64, 64, 8, 8, 64, 3, 1, 1, 1, 1)));
        assertEquals(2, ConvDirectWeights.samplesPerChunk(sixteenLanes, ConvShape.of(2, 64, 8, 8, 64, 3, 1, 1, 1, 1)));
    }

    @Test
    void theDispatcherPicksAKernelPerPassAndAgreesWithTheReference() {
        ConvShape narrow = ConvShape.of(3, 8, 12, 12, 16, 3, 1, 1, 1, 1);
        ConvShape wide = ConvShape.of(2, 128, 6, 6, 96, 3, 1, 1, 1, 1);
        assertTrue(Conv2d.useDirectBackwardData(narrow));
        assertFalse(Conv2d.useImplicitBackwardData(wide));
        assertTrue(Conv2d.useDirectWeights(narrow));
        assertFalse(Conv2d.useDirectBackwardData(wide));
        assertFalse(Conv2d.useDirectWeights(wide));
        assertFalse(Conv2d.useDirectWeights(ConvShape.of(3, 16, 32, 32, 32, 3, 2, 1, 1, 1)));
        SplittableRandom r = new SplittableRandom(54);
        for (ConvShape s : List.of(narrow, wide)) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] dy = ConvCases.random(r, ConvCases.outputSize(s));
            float[] dxExpected = new float[x.length], dwExpected = new float[w.length], dbExpected = new float[s.cOut()];
            ConvReference.backwardData(s, dy, 0, w, 0, dxExpected, 0);
            ConvReference.backwardWeights(s, x, 0, dy, 0, dwExpected, 0, dbExpected, 0);
            float[] dx = new float[x.length], dw = new float[w.length], db = new float[s.cOut()];
            Conv2d.backwardData(s, dy, 0, w, 0, dx, 0);
            Conv2d.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0);
            ConvCases.assertClose("dispatched dx", s, dxExpected, dx, s.cOut() * 9);
            ConvCases.assertClose("dispatched dw", s, dwExpected, dw, s.n() * s.outH() * s.outW());
            ConvCases.assertClose("dispatched db", s, dbExpected, db, s.n() * s.outH() * s.outW());
        }
    }

    @Test
    void otherShapesAreRefusedNamingTheShape() {
        ConvShape strided = ConvShape.of(1, 3, 9, 9, 4, 3, 2, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                ConvDirectWeights.backwardWeights(strided, new float[243], 0, new float[100], 0, new float[108], 0, null, 0));
        assertTrue(e.getMessage().contains("strideH=2"), e.getMessage());
        ConvShape widePad = ConvShape.of(1, 3, 9, 9, 4, 3, 1, 3, 1, 1);
        e = assertThrows(IllegalArgumentException.class, () ->
                ConvDirect.backwardData(widePad, new float[4 * 13 * 13], 0, new float[108], 0, new float[243], 0));
        assertTrue(e.getMessage().contains("padH=3"), e.getMessage());
    }

    /** Copy of {@code x} at offset {@code off} (the slots before hold garbage). */
    private static float[] shifted(float[] x, int off) {
        float[] y = new float[x.length + off];
        Arrays.fill(y, 0, off, 1e6f);
        System.arraycopy(x, 0, y, off, x.length);
        return y;
    }
}
