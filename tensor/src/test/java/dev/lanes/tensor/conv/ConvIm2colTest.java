package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ConvIm2colTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void forwardMatchesTheReferenceOnAwkwardShapes() {
        SplittableRandom r = new SplittableRandom(1);
        for (ConvShape s : ConvCases.awkward(11, 60)) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] bias = ConvCases.random(r, s.cOut());
            float[] expected = new float[ConvCases.outputSize(s)];
            ConvReference.forward(s, x, 0, w, 0, bias, 0, expected, 0);
            // offsets and NaN garbage in the output: forward must overwrite every element
            float[] y = new float[expected.length + 3];
            java.util.Arrays.fill(y, Float.NaN);
            float[] xo = shifted(x, 2), wo = shifted(w, 1), bo = shifted(bias, 4);
            ConvIm2col.forward(s, xo, 2, wo, 1, bo, 4, y, 3);
            ConvCases.assertClose("forward", s, expected, java.util.Arrays.copyOfRange(y, 3, y.length), terms(s));
        }
    }

    @Test
    void backwardDataAddsTheReferenceGradient() {
        SplittableRandom r = new SplittableRandom(2);
        for (ConvShape s : ConvCases.awkward(12, 60)) {
            float[] dy = ConvCases.random(r, ConvCases.outputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] start = ConvCases.random(r, ConvCases.inputSize(s));
            float[] expected = start.clone();
            ConvReference.backwardData(s, dy, 0, w, 0, expected, 0);
            float[] dx = shifted(start, 5);
            ConvIm2col.backwardData(s, shifted(dy, 1), 1, shifted(w, 2), 2, dx, 5);
            ConvCases.assertClose("backwardData", s, expected, java.util.Arrays.copyOfRange(dx, 5, dx.length),
                    s.cOut() / s.groups() * s.kh() * s.kw());
        }
    }

    @Test
    void backwardWeightsAddsTheReferenceGradients() {
        SplittableRandom r = new SplittableRandom(3);
        for (ConvShape s : ConvCases.awkward(13, 60)) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), dy = ConvCases.random(r, ConvCases.outputSize(s));
            float[] dwStart = ConvCases.random(r, ConvCases.weightSize(s)), dbStart = ConvCases.random(r, s.cOut());
            float[] dwExpected = dwStart.clone(), dbExpected = dbStart.clone();
            ConvReference.backwardWeights(s, x, 0, dy, 0, dwExpected, 0, dbExpected, 0);
            float[] dw = shifted(dwStart, 3), db = shifted(dbStart, 1);
            ConvIm2col.backwardWeights(s, shifted(x, 2), 2, shifted(dy, 4), 4, dw, 3, db, 1);
            int terms = s.n() * s.outH() * s.outW();
            ConvCases.assertClose("dw", s, dwExpected, java.util.Arrays.copyOfRange(dw, 3, dw.length), terms);
            ConvCases.assertClose("db", s, dbExpected, java.util.Arrays.copyOfRange(db, 1, db.length), terms);
            // without a bias gradient
            float[] dw2 = dwStart.clone();
            ConvIm2col.backwardWeights(s, x, 0, dy, 0, dw2, 0, null, 0);
            ConvCases.assertClose("dw without db", s, dwExpected, dw2, terms);
        }
    }

    @Test
    void resultsAreBitIdenticalOnOneTwoAndThreeThreads() {
        List<ConvShape> shapes = List.of(
                ConvShape.of(7, 16, 16, 16, 16, 3, 1, 1, 1, 1),  // backward-weights chunks of 4 samples
                ConvShape.of(5, 3, 32, 32, 8, 3, 1, 1, 1, 1),    // five one-sample chunks: waves of 1, 2, 3
                ConvShape.of(3, 8, 11, 13, 6, 5, 2, 2, 1, 2),
                ConvShape.of(1, 16, 20, 20, 32, 3, 1, 1, 1, 1),  // one sample: the GEMM's own threads
                ConvShape.of(4, 16, 9, 9, 8, 1, 1, 0, 1, 1));    // pointwise
        SplittableRandom r = new SplittableRandom(4);
        for (ConvShape s : shapes) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] dy = ConvCases.random(r, ConvCases.outputSize(s)), bias = ConvCases.random(r, s.cOut());
            float[][] first = null;
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                float[] y = new float[ConvCases.outputSize(s)];
                ConvIm2col.forward(s, x, 0, w, 0, bias, 0, y, 0);
                float[] dx = new float[x.length], dw = new float[w.length], db = new float[s.cOut()];
                ConvIm2col.backwardData(s, dy, 0, w, 0, dx, 0);
                ConvIm2col.backwardWeights(s, x, 0, dy, 0, dw, 0, db, 0);
                float[][] all = {y, dx, dw, db};
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
    void backwardWeightsChunksDependOnTheShapeAlone() {
        assertEquals(1, ConvIm2col.samplesPerChunk(ConvShape.of(64, 16, 32, 32, 16, 3, 1, 1, 1, 1)));
        assertEquals(4, ConvIm2col.samplesPerChunk(ConvShape.of(64, 32, 16, 16, 32, 3, 1, 1, 1, 1)));
        assertEquals(2, ConvIm2col.samplesPerChunk(ConvShape.of(2, 64, 8, 8, 64, 3, 1, 1, 1, 1)));
        // a huge column matrix per sample caps the chunk: 256 x 9 x 9 x 36 floats per sample
        int capsules = ConvIm2col.samplesPerChunk(ConvShape.of(64, 256, 20, 20, 256, 9, 2, 0, 1, 1));
        assertEquals(ConvIm2col.CHUNK_FLOATS / (256 * 81 * 36), capsules);
    }

    /** Copy of {@code x} at offset {@code off} (the slots before hold garbage). */
    private static float[] shifted(float[] x, int off) {
        float[] y = new float[x.length + off];
        java.util.Arrays.fill(y, 0, off, 1e6f);
        System.arraycopy(x, 0, y, off, x.length);
        return y;
    }

    private static int terms(ConvShape s) {
        return s.cIn() / s.groups() * s.kh() * s.kw() + 1;
    }
}
