package dev.lanes.nn.data;

/**
 * Derives independent generator seeds from a run seed and integer coordinates such as
 * (epoch, sample index), so that every random draw of a sample depends only on those
 * coordinates and not on which thread made it or when (DESIGN.md, determinism). The mixing
 * function is SplitMix64's finaliser, fixed here so results do not depend on JDK internals.
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /** A well-mixed 64-bit value of {@code z}. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for coordinate {@code a} under {@code seed}. */
    public static long of(long seed, long a) {
        return mix(mix(seed + GOLDEN) + GOLDEN * (a + 1));
    }

    /** A seed for coordinates {@code (a, b)} under {@code seed}, e.g. (epoch, sample index). */
    public static long of(long seed, long a, long b) {
        return of(of(seed, a), b);
    }
}
