package dev.lanes.nn.data;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

class TransformsTest {
    /** Two channels of 2x3: channel 0 = 1..6, channel 1 = 10..60. */
    private static final float[] SAMPLE = {1, 2, 3, 4, 5, 6, 10, 20, 30, 40, 50, 60};
    private static final int[] SHAPE = {2, 2, 3};

    @Test
    void normalizeSubtractsTheMeanAndDividesByTheStdPerChannel() {
        Normalize n = new Normalize(new float[] {2, 20}, new float[] {2, 10});
        float[] out = new float[12];
        n.apply(SAMPLE, 0, SHAPE, out, 0, null);
        assertArrayEquals(new float[] {-0.5f, 0, 0.5f, 1, 1.5f, 2, -1, 0, 1, 2, 3, 4}, out, 1e-6f);
        assertThrows(IllegalArgumentException.class, () -> n.outputShape(new int[] {3, 2, 3}));
        assertThrows(IllegalArgumentException.class, () -> new Normalize(new float[] {0}, new float[] {0}));
    }

    @Test
    void fittedNormalizeComputesPopulationStatisticsPerChannel() {
        byte[] pixels = new byte[2 * 2 * 1 * 1];
        // sample 0: channel0 = 0, channel1 = 255; sample 1: channel0 = 255, channel1 = 255
        pixels[1] = (byte) 255;
        pixels[2] = (byte) 255;
        pixels[3] = (byte) 255;
        Dataset ds = new ByteImageDataset("t", 2, 1, 1, pixels, new byte[] {0, 1}, java.util.List.of("a", "b"));
        Normalize n = Normalize.fitted(ds);
        assertArrayEquals(new float[] {0.5f, 1f}, n.mean(), 1e-6f);
        assertEquals(0.5f, n.std()[0], 1e-6f);
        assertTrue(n.std()[1] > 0 && n.std()[1] < 1e-5, "constant channel gets a tiny positive std");
    }

    @Test
    void padSurroundsEveryChannelWithTheFillValue() {
        Pad pad = new Pad(1, -1f);
        assertArrayEquals(new int[] {2, 4, 5}, pad.outputShape(SHAPE));
        float[] out = new float[2 * 4 * 5];
        pad.apply(SAMPLE, 0, SHAPE, out, 0, null);
        float[] expected = {
            -1, -1, -1, -1, -1,
            -1, 1, 2, 3, -1,
            -1, 4, 5, 6, -1,
            -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1,
            -1, 10, 20, 30, -1,
            -1, 40, 50, 60, -1,
            -1, -1, -1, -1, -1};
        assertArrayEquals(expected, out);
    }

    @Test
    void cropWindowShiftsAndFillsOutside() {
        // Window of 2x3 whose pixel (y, x) is source (y - 1, x + 1): row 0 all fill, row 1 = source row 0 from x=1.
        float[] out = new float[12];
        RandomCrop.window(SAMPLE, 0, SHAPE, 1, -1, 2, 3, 0f, out, 0);
        assertArrayEquals(new float[] {0, 0, 0, 2, 3, 0, 0, 0, 0, 20, 30, 0}, out);
    }

    @Test
    void randomCropPicksEveryPaddedWindowAndNothingElse() {
        RandomCrop crop = new RandomCrop(2, 3, 1, 0f);
        assertArrayEquals(new int[] {2, 2, 3}, crop.outputShape(SHAPE));
        Set<String> seen = new HashSet<>();
        float[] out = new float[12];
        for (int s = 0; s < 400; s++) {
            crop.apply(SAMPLE, 0, SHAPE, out, 0, new SplittableRandom(s));
            seen.add(matchWindow(out));
        }
        // Padded 4x5 input, 2x3 window: 3 x 3 positions, all reached, each a true window.
        assertEquals(9, seen.size(), seen.toString());
        assertFalse(seen.contains("none"));
    }

    @Test
    void sameGeneratorGivesTheSameCrop() {
        RandomCrop crop = new RandomCrop(2, 1);
        float[] a = new float[8];
        float[] b = new float[8];
        float[] src = {1, 2, 3, 4, 5, 6, 7, 8};
        crop.apply(src, 0, new int[] {2, 2, 2}, a, 0, new SplittableRandom(5));
        crop.apply(src, 0, new int[] {2, 2, 2}, b, 0, new SplittableRandom(5));
        assertArrayEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> new RandomCrop(5, 1).outputShape(new int[] {1, 2, 2}));
    }

    @Test
    void flipMirrorsRowsInPlaceOrNot() {
        float[] out = new float[12];
        HorizontalFlip.flip(SAMPLE, 0, SHAPE, out, 0);
        assertArrayEquals(new float[] {3, 2, 1, 6, 5, 4, 30, 20, 10, 60, 50, 40}, out);
        float[] inPlace = SAMPLE.clone();
        HorizontalFlip.flip(inPlace, 0, SHAPE, inPlace, 0);
        assertArrayEquals(out, inPlace);
        float[] odd = {1, 2, 3, 4, 5};
        HorizontalFlip.flip(odd, 0, new int[] {1, 1, 5}, odd, 0);
        assertArrayEquals(new float[] {5, 4, 3, 2, 1}, odd);
    }

    @Test
    void flipHappensWithTheGivenProbability() {
        HorizontalFlip always = new HorizontalFlip(1);
        HorizontalFlip never = new HorizontalFlip(0);
        float[] out = new float[12];
        always.apply(SAMPLE, 0, SHAPE, out, 0, new SplittableRandom(1));
        assertEquals(3, out[0]);
        never.apply(SAMPLE, 0, SHAPE, out, 0, new SplittableRandom(1));
        assertArrayEquals(SAMPLE, out);
        HorizontalFlip half = new HorizontalFlip();
        int flipped = 0;
        for (int s = 0; s < 1000; s++) {
            half.apply(SAMPLE, 0, SHAPE, out, 0, new SplittableRandom(s));
            flipped += out[0] == 3 ? 1 : 0;
        }
        assertTrue(flipped > 430 && flipped < 570, flipped + " of 1000 flipped");
    }

    /** Which padded window (top, left) the output equals, or "none". */
    private static String matchWindow(float[] out) {
        float[] cand = new float[12];
        for (int top = 0; top <= 2; top++) {
            for (int left = 0; left <= 2; left++) {
                RandomCrop.window(SAMPLE, 0, SHAPE, 1 - top, 1 - left, 2, 3, 0f, cand, 0);
                if (java.util.Arrays.equals(cand, out)) {
                    return top + "," + left;
                }
            }
        }
        return "none";
    }
}
