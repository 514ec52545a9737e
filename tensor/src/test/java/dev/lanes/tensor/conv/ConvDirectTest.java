package dev.lanes.tensor.conv;

import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Vectorization;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class ConvDirectTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** Stride-1 shapes: the awkward list's, plus rows longer than two vectors, width-1 rows and channel-block tails. */
    private static List<ConvShape> shapes() {
        List<ConvShape> out = ConvCases.stride1(21, 200, 40);
        out.add(ConvShape.of(3, 3, 33, 37, 9, 3, 1, 1, 1, 1));
        out.add(ConvShape.of(1, 16, 32, 32, 7, 3, 1, 1, 1, 1));
        out.add(ConvShape.of(3, 1, 32, 32, 6, 5, 1, 0, 1, 1));
        out.add(new ConvShape(1, 5, 9, 7, 2, 3, 7, 1, 1, 0, 0, 1, 1, 1)); // output width 1
        out.add(ConvShape.of(1, 2, 70, 70, 5, 1, 1, 0, 1, 1));
        return out;
    }

    @Test
    void forwardMatchesTheReferenceAndSimdEqualsItsScalarTwin() {
        SplittableRandom r = new SplittableRandom(31);
        List<ConvShape> shapes = shapes();
        assertTrue(shapes.size() > 20, "too few stride-1 shapes: " + shapes.size());
        for (ConvShape s : shapes) {
            assertTrue(ConvDirect.supports(s));
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] bias = ConvCases.random(r, s.cOut());
            float[] expected = new float[ConvCases.outputSize(s)];
            ConvReference.forward(s, x, 0, w, 0, bias, 0, expected, 0);
            float[] fast = new float[expected.length + 2], scalar = new float[expected.length];
            Arrays.fill(fast, Float.NaN);
            ConvDirect.forward(s, x, 0, w, 0, bias, 0, fast, 2);
            ConvDirect.forwardScalar(s, x, 0, w, 0, bias, 0, scalar, 0);
            float[] fastOut = Arrays.copyOfRange(fast, 2, fast.length);
            ConvCases.assertClose("direct forward", s, expected, fastOut, s.cIn() * s.kh() * s.kw() + 1);
            assertArrayEquals(scalar, fastOut, 0f, "SIMD and scalar twin on " + s + " (" + Vectorization.describe() + ")");
        }
    }

    @Test
    void resultsAreTheSameOnOneTwoAndThreeThreads() {
        SplittableRandom r = new SplittableRandom(32);
        for (ConvShape s : List.of(ConvShape.of(5, 8, 17, 19, 10, 3, 1, 1, 1, 1), ConvShape.of(1, 16, 20, 20, 9, 3, 1, 1, 1, 1))) {
            float[] x = ConvCases.random(r, ConvCases.inputSize(s)), w = ConvCases.random(r, ConvCases.weightSize(s));
            float[] first = null;
            for (int t : new int[] {1, 2, 3}) {
                Parallel.setThreads(t);
                float[] y = new float[ConvCases.outputSize(s)];
                ConvDirect.forward(s, x, 0, w, 0, null, 0, y, 0);
                if (first == null) {
                    first = y;
                } else {
                    assertArrayEquals(first, y, 0f, s + " on " + t + " threads");
                }
            }
        }
    }

    @Test
    void otherShapesAreRefusedNamingTheShape() {
        ConvShape strided = ConvShape.of(1, 3, 9, 9, 4, 3, 2, 1, 1, 1);
        assertFalse(ConvDirect.supports(strided));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvDirect.forward(strided, new float[243], 0, new float[108], 0, null, 0, new float[100], 0));
        assertTrue(e.getMessage().contains("strideH=2"), e.getMessage());
    }

    @Test
    void theDispatcherSendsFewChannelsToTheDirectKernelAndAgreesWithTheReference() {
        ConvShape narrowWide = ConvShape.of(3, 3, 32, 33, 16, 3, 1, 1, 1, 1);
        assertTrue(Conv2d.useDirect(narrowWide));
        assertTrue(Conv2d.useDirect(ConvShape.of(3, 6, 14, 14, 16, 5, 1, 0, 1, 1)));
        assertFalse(Conv2d.useDirect(ConvShape.of(3, 32, 16, 16, 32, 3, 1, 1, 1, 1)));
        assertFalse(Conv2d.useDirect(ConvShape.of(3, 64, 32, 32, 64, 3, 1, 1, 1, 1)));
        assertFalse(Conv2d.useDirect(ConvShape.of(3, 16, 32, 32, 32, 3, 2, 1, 1, 1)));
        SplittableRandom r = new SplittableRandom(33);
        float[] x = ConvCases.random(r, ConvCases.inputSize(narrowWide));
        float[] w = ConvCases.random(r, ConvCases.weightSize(narrowWide)), bias = ConvCases.random(r, 16);
        float[] expected = new float[ConvCases.outputSize(narrowWide)], y = new float[expected.length];
        ConvReference.forward(narrowWide, x, 0, w, 0, bias, 0, expected, 0);
        Conv2d.forward(narrowWide, x, 0, w, 0, bias, 0, y, 0);
        ConvCases.assertClose("dispatched forward", narrowWide, expected, y, 28);
    }
}
