package dev.lanes.nn.data;

import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code synthetic-cifar}: 32x32 RGB images of ten shape classes with CIFAR-10's shapes. Each
 * image has a random grey-ish gradient background, one shape of its class with a random size,
 * position and rotation, anti-aliased through a signed distance, in a colour whose hue leans
 * towards its class (so colour helps but does not decide), an optional small distracting
 * blob, and per-pixel noise. Sample {@code i} depends only on {@code (seed, i)}.
 */
public final class SyntheticCifar {
    public static final String NAME = "synthetic-cifar";
    public static final int SIDE = 32;
    public static final int CHANNELS = 3;
    public static final List<String> CLASS_NAMES = List.of("disk", "ring", "square", "triangle", "diamond", "plus",
            "cross", "star", "half-disk", "bar");
    private static final int PLANE = SIDE * SIDE;
    private static final int MAX_VERTICES = 12;

    private SyntheticCifar() {
    }

    /** Samples {@code first .. first+count-1} of the set with this seed (generated in parallel). */
    public static ByteImageDataset generate(long seed, int first, int count) {
        return SyntheticImages.generate(NAME, seed, first, count, CHANNELS, SIDE, CLASS_NAMES, CHANNELS * PLANE,
                SyntheticCifar::render);
    }

    static void render(SplittableRandom rnd, int label, float[] rgb, byte[] out, int off) {
        // Foreground colour: usually a hue near the class's own (36 degrees apart, +-70 jitter, so
        // neighbouring classes overlap), else any hue: colour hints at the class, the shape decides.
        float hue = rnd.nextInt(10) < 3 ? SyntheticImages.uniform(rnd, 0, 360)
                : (label * 36f + SyntheticImages.uniform(rnd, -70, 70) + 360f) % 360f;
        float[] fg = hsv(hue, SyntheticImages.uniform(rnd, 0.55, 1), SyntheticImages.uniform(rnd, 0.6, 1));
        float fgLum = luminance(fg);

        // Background: a grey-ish gradient far enough from the shape's brightness to see it.
        float g0 = SyntheticImages.uniform(rnd, 0, 1);
        if (Math.abs(g0 - fgLum) < 0.25f) {
            g0 = fgLum > 0.5f ? SyntheticImages.uniform(rnd, 0, fgLum - 0.3f)
                    : SyntheticImages.uniform(rnd, fgLum + 0.3f, 1);
        }
        float g1 = Math.min(1f, Math.max(0f, g0 + SyntheticImages.uniform(rnd, -0.15, 0.15)));
        float[] bg0 = new float[3];
        float[] bg1 = new float[3];
        for (int c = 0; c < 3; c++) {
            bg0[c] = g0 + SyntheticImages.uniform(rnd, -0.08, 0.08);
            bg1[c] = g1 + SyntheticImages.uniform(rnd, -0.08, 0.08);
        }
        double gradAngle = SyntheticImages.uniform(rnd, 0, 2 * Math.PI);
        float gx = (float) StrictMath.cos(gradAngle) / SIDE;
        float gy = (float) StrictMath.sin(gradAngle) / SIDE;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                float t = 0.5f + (x - SIDE / 2f) * gx + (y - SIDE / 2f) * gy;
                for (int c = 0; c < 3; c++) {
                    rgb[c * PLANE + y * SIDE + x] = bg0[c] + (bg1[c] - bg0[c]) * t;
                }
            }
        }

        if (rnd.nextInt(2) == 0) {
            float[] blob = hsv(SyntheticImages.uniform(rnd, 0, 360), SyntheticImages.uniform(rnd, 0, 1),
                    SyntheticImages.uniform(rnd, 0, 1));
            Shape dot = Shape.disk(SyntheticImages.uniform(rnd, 3, 29), SyntheticImages.uniform(rnd, 3, 29),
                    SyntheticImages.uniform(rnd, 1.5, 3));
            paint(rgb, dot, blob);
        }

        float r = SyntheticImages.uniform(rnd, 6, 12);
        float cx = SyntheticImages.uniform(rnd, r, SIDE - r);
        float cy = SyntheticImages.uniform(rnd, r, SIDE - r);
        paint(rgb, shape(label, rnd, cx, cy, r), fg);

        for (int k = 0; k < CHANNELS * PLANE; k++) {
            float noise = (rnd.nextInt(21) - 10) / 255f;
            out[off + k] = SyntheticImages.toByte(rgb[k] + noise);
        }
    }

    private static Shape shape(int label, SplittableRandom rnd, float cx, float cy, float r) {
        float tilt = SyntheticImages.uniform(rnd, -15, 15);
        return switch (label) {
            case 0 -> Shape.disk(cx, cy, r);
            case 1 -> Shape.ring(cx, cy, r, r * SyntheticImages.uniform(rnd, 0.2, 0.35));
            case 2 -> Shape.polygon(cx, cy, r * 0.8f, tilt, 1, -1, 1, 1, -1, 1, -1, -1);
            case 3 -> Shape.regular(cx, cy, r, 3, 1f, -90 + SyntheticImages.uniform(rnd, -20, 20));
            case 4 -> Shape.polygon(cx, cy, r, tilt, 0, -1, 0.62f, 0, 0, 1, -0.62f, 0);
            case 5, 6 -> {
                float a = SyntheticImages.uniform(rnd, 0.25, 0.35);
                yield Shape.polygon(cx, cy, r, tilt + (label == 6 ? 45 : 0), a, -1, a, -a, 1, -a, 1, a, a, a, a, 1,
                        -a, 1, -a, a, -1, a, -1, -a, -a, -a, -a, -1);
            }
            case 7 -> Shape.regular(cx, cy, r, 5, SyntheticImages.uniform(rnd, 0.38, 0.5),
                    SyntheticImages.uniform(rnd, 0, 72));
            case 8 -> Shape.halfDisk(cx, cy, r, SyntheticImages.uniform(rnd, 0, 360));
            case 9 -> {
                float w = SyntheticImages.uniform(rnd, 0.18, 0.3);
                yield Shape.polygon(cx, cy, r, SyntheticImages.uniform(rnd, 0, 180), 1, -w, 1, w, -1, w, -1, -w);
            }
            default -> throw new IllegalArgumentException("class " + label + " is not in 0..9");
        };
    }

    /** Blends {@code colour} into the image with the shape's anti-aliased coverage. */
    private static void paint(float[] rgb, Shape s, float[] colour) {
        int xa = Math.max(0, (int) Math.floor(s.cx - s.reach - 1));
        int xb = Math.min(SIDE - 1, (int) Math.ceil(s.cx + s.reach + 1));
        int ya = Math.max(0, (int) Math.floor(s.cy - s.reach - 1));
        int yb = Math.min(SIDE - 1, (int) Math.ceil(s.cy + s.reach + 1));
        for (int y = ya; y <= yb; y++) {
            for (int x = xa; x <= xb; x++) {
                float cover = Math.min(1f, Math.max(0f, 0.5f - s.distance(x + 0.5f, y + 0.5f)));
                if (cover > 0f) {
                    int k = y * SIDE + x;
                    for (int c = 0; c < 3; c++) {
                        rgb[c * PLANE + k] += (colour[c] - rgb[c * PLANE + k]) * cover;
                    }
                }
            }
        }
    }

    private static float luminance(float[] rgb) {
        return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
    }

    private static float[] hsv(float h, float s, float v) {
        float c = v * s;
        float hp = h / 60f;
        float x = c * (1 - Math.abs(hp % 2 - 1));
        float r;
        float g;
        float b;
        switch ((int) hp % 6) {
            case 0 -> { r = c; g = x; b = 0; }
            case 1 -> { r = x; g = c; b = 0; }
            case 2 -> { r = 0; g = c; b = x; }
            case 3 -> { r = 0; g = x; b = c; }
            case 4 -> { r = x; g = 0; b = c; }
            default -> { r = c; g = 0; b = x; }
        }
        float m = v - c;
        return new float[] {r + m, g + m, b + m};
    }

    /** A filled shape given by a signed distance (negative inside), in pixel units. */
    private static final class Shape {
        enum Kind { DISK, RING, HALF_DISK, POLYGON }

        final Kind kind;
        final float cx;
        final float cy;
        final float r;
        final float reach;
        float thickness;
        float nx;
        float ny;
        final float[] vx = new float[MAX_VERTICES];
        final float[] vy = new float[MAX_VERTICES];
        int n;

        private Shape(Kind kind, float cx, float cy, float r) {
            this.kind = kind;
            this.cx = cx;
            this.cy = cy;
            this.r = r;
            this.reach = r;
        }

        static Shape disk(float cx, float cy, float r) {
            return new Shape(Kind.DISK, cx, cy, r);
        }

        static Shape ring(float cx, float cy, float r, float thickness) {
            Shape s = new Shape(Kind.RING, cx, cy, r);
            s.thickness = thickness;
            return s;
        }

        static Shape halfDisk(float cx, float cy, float r, float degrees) {
            Shape s = new Shape(Kind.HALF_DISK, cx, cy, r);
            double a = Math.toRadians(degrees);
            s.nx = (float) StrictMath.cos(a);
            s.ny = (float) StrictMath.sin(a);
            return s;
        }

        /** Vertices given as (x, y) pairs in units of {@code r}, rotated by {@code degrees}. */
        static Shape polygon(float cx, float cy, float r, float degrees, float... unit) {
            Shape s = new Shape(Kind.POLYGON, cx, cy, r * 1.42f);
            double a = Math.toRadians(degrees);
            float cos = (float) StrictMath.cos(a);
            float sin = (float) StrictMath.sin(a);
            s.n = unit.length / 2;
            for (int i = 0; i < s.n; i++) {
                float ux = unit[2 * i] * r;
                float uy = unit[2 * i + 1] * r;
                s.vx[i] = cx + cos * ux - sin * uy;
                s.vy[i] = cy + sin * ux + cos * uy;
            }
            return s;
        }

        /** A regular polygon ({@code inner == 1}) or star with {@code points} tips. */
        static Shape regular(float cx, float cy, float r, int points, float inner, float degrees) {
            int verts = inner == 1f ? points : 2 * points;
            float[] unit = new float[2 * verts];
            for (int i = 0; i < verts; i++) {
                double a = Math.toRadians(360.0 * i / verts);
                float rad = inner == 1f || i % 2 == 0 ? 1f : inner;
                unit[2 * i] = rad * (float) StrictMath.cos(a);
                unit[2 * i + 1] = rad * (float) StrictMath.sin(a);
            }
            return polygon(cx, cy, r, degrees, unit);
        }

        float distance(float px, float py) {
            float dx = px - cx;
            float dy = py - cy;
            float d = (float) Math.sqrt(dx * dx + dy * dy);
            return switch (kind) {
                case DISK -> d - r;
                case RING -> Math.abs(d - (r - thickness)) - thickness;
                case HALF_DISK -> Math.max(d - r, dx * nx + dy * ny);
                case POLYGON -> polygonDistance(px, py);
            };
        }

        private float polygonDistance(float px, float py) {
            float best = Float.MAX_VALUE;
            boolean inside = false;
            for (int i = 0, j = n - 1; i < n; j = i++) {
                float ex = vx[j] - vx[i];
                float ey = vy[j] - vy[i];
                float wx = px - vx[i];
                float wy = py - vy[i];
                float t = Math.min(1f, Math.max(0f, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
                float bx = wx - ex * t;
                float by = wy - ey * t;
                best = Math.min(best, bx * bx + by * by);
                if ((vy[i] > py) != (vy[j] > py) && px < ex * (py - vy[i]) / ey + vx[i]) {
                    inside = !inside;
                }
            }
            float d = (float) Math.sqrt(best);
            return inside ? -d : d;
        }
    }
}
