package dev.lanes.nn.data;

import java.util.Arrays;

/**
 * A grey-level canvas that draws thick anti-aliased line segments with round caps: a pixel's
 * coverage is how far its centre lies inside the stroke, {@code clamp(radius + 0.5 - d)},
 * where {@code d} is its distance to the segment, and overlapping strokes take the maximum.
 * Needs no fonts and no AWT, so it works on headless machines.
 */
final class StrokeCanvas {
    private final int width;
    private final int height;
    private final float[] value;

    StrokeCanvas(float[] buffer, int width, int height) {
        if (buffer.length < width * height) {
            throw new IllegalArgumentException("canvas buffer of " + buffer.length + " floats for " + width + "x" + height);
        }
        this.value = buffer;
        this.width = width;
        this.height = height;
    }

    void clear() {
        Arrays.fill(value, 0, width * height, 0f);
    }

    float get(int x, int y) {
        return value[y * width + x];
    }

    /** A segment from {@code (x0, y0)} to {@code (x1, y1)} in pixel units (pixel centres at +0.5). */
    void segment(float x0, float y0, float x1, float y1, float radius, float intensity) {
        float reach = radius + 0.5f;
        int xa = Math.max(0, (int) Math.floor(Math.min(x0, x1) - reach));
        int xb = Math.min(width - 1, (int) Math.ceil(Math.max(x0, x1) + reach));
        int ya = Math.max(0, (int) Math.floor(Math.min(y0, y1) - reach));
        int yb = Math.min(height - 1, (int) Math.ceil(Math.max(y0, y1) + reach));
        float ex = x1 - x0;
        float ey = y1 - y0;
        float len2 = ex * ex + ey * ey;
        for (int y = ya; y <= yb; y++) {
            float py = y + 0.5f - y0;
            for (int x = xa; x <= xb; x++) {
                float px = x + 0.5f - x0;
                float t = len2 > 0f ? Math.min(1f, Math.max(0f, (px * ex + py * ey) / len2)) : 0f;
                float dx = px - t * ex;
                float dy = py - t * ey;
                float cover = reach - (float) Math.sqrt(dx * dx + dy * dy);
                if (cover > 0f) {
                    float v = Math.min(1f, cover) * intensity;
                    int k = y * width + x;
                    if (v > value[k]) {
                        value[k] = v;
                    }
                }
            }
        }
    }
}
