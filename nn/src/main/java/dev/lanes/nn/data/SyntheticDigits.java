package dev.lanes.nn.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code synthetic-digits}: 28x28 grey images of the digits 0-9 with MNIST's shapes, drawn from
 * randomised strokes ({@link DigitGlyphs}) with random size, aspect, slant, rotation, gentle
 * wave distortions, stroke thickness and intensity, position and the odd stray mark, by an anti-aliased
 * rasteriser of our own ({@link StrokeCanvas}), not fonts, so it works headless. Sample
 * {@code i} depends only on {@code (seed, i)}; labels are balanced in every block of ten.
 */
public final class SyntheticDigits {
    public static final String NAME = "synthetic-digits";
    public static final int SIDE = 28;
    public static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private SyntheticDigits() {
    }

    /** Samples {@code first .. first+count-1} of the set with this seed (generated in parallel). */
    public static ByteImageDataset generate(long seed, int first, int count) {
        return SyntheticImages.generate(NAME, seed, first, count, 1, SIDE, CLASS_NAMES, SIDE * SIDE,
                SyntheticDigits::render);
    }

    static void render(SplittableRandom rnd, int digit, float[] scratch, byte[] out, int off) {
        DigitGlyphs glyph = DigitGlyphs.of(digit, rnd);
        float height = SyntheticImages.uniform(rnd, 15, 22.5);
        float width = height * SyntheticImages.uniform(rnd, 0.65, 1.05);
        float slant = SyntheticImages.uniform(rnd, -0.35, 0.4);
        double angle = Math.toRadians(SyntheticImages.uniform(rnd, -14, 14));
        float cos = (float) StrictMath.cos(angle);
        float sin = (float) StrictMath.sin(angle);
        float waveX = SyntheticImages.uniform(rnd, 0, 0.09);
        float waveY = SyntheticImages.uniform(rnd, 0, 0.06);
        float freqX = SyntheticImages.uniform(rnd, 0.5, 1.6);
        float freqY = SyntheticImages.uniform(rnd, 0.5, 1.6);
        float phaseX = SyntheticImages.uniform(rnd, 0, 6.2832);
        float phaseY = SyntheticImages.uniform(rnd, 0, 6.2832);
        float cx = SIDE / 2f + SyntheticImages.uniform(rnd, -3, 3);
        float cy = SIDE / 2f + SyntheticImages.uniform(rnd, -2.5, 2.5);
        float radius = SyntheticImages.uniform(rnd, 0.7, 1.9);
        float intensity = SyntheticImages.uniform(rnd, 0.75, 1.0);

        // Unit box -> pixels: two gentle waves, slant (shear with height), scale, rotate, move.
        int n = glyph.points;
        float[] px = new float[n];
        float[] py = new float[n];
        for (int i = 0; i < n; i++) {
            float u = glyph.xs[i] - 0.5f;
            float v = glyph.ys[i] - 0.5f;
            float du = waveX * (float) StrictMath.sin(freqX * 6.2832 * v + phaseX);
            float dv = waveY * (float) StrictMath.sin(freqY * 6.2832 * u + phaseY);
            u += du;
            v += dv;
            float x = u * width - slant * v * height;
            float y = v * height;
            px[i] = cx + cos * x - sin * y;
            py[i] = cy + sin * x + cos * y;
        }

        StrokeCanvas canvas = new StrokeCanvas(scratch, SIDE, SIDE);
        canvas.clear();
        for (int s = 0; s < glyph.strokes; s++) {
            int a = glyph.strokeStart[s];
            int b = glyph.strokeStart[s + 1];
            if (b - a == 1) {
                canvas.segment(px[a], py[a], px[a], py[a], radius, intensity);
            }
            for (int i = a + 1; i < b; i++) {
                canvas.segment(px[i - 1], py[i - 1], px[i], py[i], radius, intensity);
            }
        }
        if (rnd.nextInt(5) == 0) {
            // A stray pen mark somewhere, as scanned handwriting has.
            float x0 = SyntheticImages.uniform(rnd, 2, SIDE - 2);
            float y0 = SyntheticImages.uniform(rnd, 2, SIDE - 2);
            double a = SyntheticImages.uniform(rnd, 0, 6.2832);
            float len = SyntheticImages.uniform(rnd, 1, 4);
            canvas.segment(x0, y0, x0 + len * (float) StrictMath.cos(a), y0 + len * (float) StrictMath.sin(a),
                    radius * 0.8f, intensity * SyntheticImages.uniform(rnd, 0.4, 1));
        }
        for (int k = 0; k < SIDE * SIDE; k++) {
            out[off + k] = SyntheticImages.toByte(scratch[k]);
        }
    }
}
