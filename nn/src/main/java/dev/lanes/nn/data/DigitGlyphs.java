package dev.lanes.nn.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The stroke skeletons of the ten digits in a unit box (x to the right, y down, both in
 * {@code [0, 1]}), each built from polylines and elliptic arcs whose points, radii and angles
 * are jittered by the generator, plus a few style variants (a 1 with or without a flag, an
 * open or closed 4, a 7 with a bar). Angles are in degrees, measured from +x towards +y
 * (clockwise on screen, since y points down).
 */
final class DigitGlyphs {
    private static final float ARC_STEP_DEGREES = 9f;

    private final SplittableRandom rnd;
    float[] xs = new float[128];
    float[] ys = new float[128];
    /** Index of the first point of every stroke, plus a final entry equal to {@link #points}. */
    int[] strokeStart = new int[16];
    int strokes;
    int points;

    private DigitGlyphs(SplittableRandom rnd) {
        this.rnd = rnd;
    }

    /** The skeleton of {@code digit}, varied by {@code rnd}. */
    static DigitGlyphs of(int digit, SplittableRandom rnd) {
        DigitGlyphs g = new DigitGlyphs(rnd);
        g.build(digit);
        g.strokeStart[g.strokes] = g.points;
        return g;
    }

    private void build(int digit) {
        switch (digit) {
            case 0 -> {
                float start = -90 + j(25);
                arc(0.5f + j(0.03), 0.5f + j(0.02), 0.30f + j(0.06), 0.43f + j(0.04), start, start + 360 + j(20), true);
            }
            case 1 -> {
                float x = 0.5f + j(0.06);
                float lean = j(0.08);
                if (rnd.nextInt(3) == 0) {
                    moveTo(x - 0.17f + j(0.04), 0.22f + j(0.05));
                    lineTo(x + lean, 0.06f + j(0.03));
                } else {
                    moveTo(x + lean, 0.06f + j(0.03));
                }
                lineTo(x - lean, 0.94f + j(0.03));
                if (rnd.nextInt(6) == 0) {
                    moveTo(x - 0.2f, 0.94f);
                    lineTo(x + 0.2f, 0.94f);
                }
            }
            case 2 -> {
                arc(0.5f + j(0.03), 0.3f + j(0.03), 0.3f + j(0.04), 0.24f + j(0.03), 195 + j(15), 395 + j(15), true);
                lineTo(0.14f + j(0.05), 0.93f + j(0.03));
                lineTo(0.88f + j(0.06), 0.93f + j(0.04));
            }
            case 3 -> {
                float top = 0.07f + j(0.03);
                float mid = 0.5f + j(0.04);
                float bottom = 0.93f + j(0.03);
                arc(0.5f + j(0.03), (top + mid) / 2, 0.26f + j(0.04), (mid - top) / 2, 200 + j(15), 450, true);
                arc(0.5f + j(0.03), (mid + bottom) / 2, 0.31f + j(0.04), (bottom - mid) / 2, 270, 510 + j(15), false);
            }
            case 4 -> {
                float stemX = 0.64f + j(0.05);
                float barY = 0.63f + j(0.05);
                if (rnd.nextBoolean()) {
                    moveTo(stemX - 0.02f, 0.06f + j(0.03));
                    lineTo(0.12f + j(0.04), barY);
                } else {
                    moveTo(0.26f + j(0.05), 0.06f + j(0.03));
                    lineTo(0.18f + j(0.04), barY);
                }
                lineTo(0.88f + j(0.05), barY + j(0.02));
                moveTo(stemX, 0.2f + j(0.12));
                lineTo(stemX + j(0.04), 0.94f + j(0.03));
            }
            case 5 -> {
                moveTo(0.8f + j(0.05), 0.06f + j(0.03));
                float x = 0.3f + j(0.04);
                lineTo(x, 0.06f + j(0.03));
                lineTo(x - 0.04f + j(0.03), 0.46f + j(0.04));
                arc(0.48f + j(0.03), 0.68f + j(0.03), 0.3f + j(0.04), 0.26f + j(0.03), 225 + j(12), 510 + j(15), false);
            }
            case 6 -> {
                float cx = 0.62f + j(0.04);
                arc(cx, 0.62f + j(0.03), 0.4f + j(0.04), 0.56f + j(0.03), 255 + j(10), 160 + j(8), true);
                float lx = 0.5f + j(0.03);
                arc(lx, 0.71f + j(0.02), 0.27f + j(0.04), 0.23f + j(0.03), 180, -180 + j(20), false);
            }
            case 7 -> {
                moveTo(0.14f + j(0.05), 0.08f + j(0.04));
                lineTo(0.86f + j(0.05), 0.08f + j(0.04));
                lineTo(0.42f + j(0.1), 0.94f + j(0.03));
                if (rnd.nextInt(5) == 0) {
                    moveTo(0.36f + j(0.04), 0.5f + j(0.04));
                    lineTo(0.76f + j(0.04), 0.5f + j(0.04));
                }
            }
            case 8 -> {
                float mid = 0.49f + j(0.03);
                float s0 = -90 + j(30);
                arc(0.5f + j(0.03), mid - 0.21f, 0.23f + j(0.04), 0.21f + j(0.02), s0, s0 + 360 + j(15), true);
                float s1 = -90 + j(30);
                arc(0.5f + j(0.03), mid + 0.23f, 0.29f + j(0.04), 0.23f + j(0.02), s1, s1 + 360 + j(15), true);
            }
            case 9 -> {
                float cx = 0.5f + j(0.03);
                float rx = 0.27f + j(0.04);
                arc(cx, 0.3f + j(0.03), rx, 0.22f + j(0.03), 0 + j(15), 360 + j(15), true);
                moveTo(cx + rx, 0.3f + j(0.04));
                lineTo(cx + rx - 0.08f + j(0.08), 0.94f + j(0.03));
            }
            default -> throw new IllegalArgumentException("digit " + digit + " is not in 0..9");
        }
    }

    /** Uniform jitter in {@code [-s, s)}. */
    private float j(double s) {
        return (float) (s * (2 * rnd.nextDouble() - 1));
    }

    private void moveTo(float x, float y) {
        if (strokes + 1 >= strokeStart.length) {
            strokeStart = Arrays.copyOf(strokeStart, strokeStart.length * 2);
        }
        strokeStart[strokes++] = points;
        add(x, y);
    }

    private void lineTo(float x, float y) {
        add(x, y);
    }

    /** An arc from angle {@code a0} to {@code a1}; starts a new stroke or continues the current one. */
    private void arc(float cx, float cy, float rx, float ry, float a0, float a1, boolean newStroke) {
        int steps = Math.max(2, (int) Math.ceil(Math.abs(a1 - a0) / ARC_STEP_DEGREES));
        for (int i = 0; i <= steps; i++) {
            double a = Math.toRadians(a0 + (a1 - a0) * i / (double) steps);
            float x = cx + rx * (float) StrictMath.cos(a);
            float y = cy + ry * (float) StrictMath.sin(a);
            if (i == 0 && newStroke) {
                moveTo(x, y);
            } else {
                add(x, y);
            }
        }
    }

    private void add(float x, float y) {
        if (points == xs.length) {
            xs = Arrays.copyOf(xs, points * 2);
            ys = Arrays.copyOf(ys, points * 2);
        }
        xs[points] = x;
        ys[points] = y;
        points++;
    }
}
