package dev.lanes.tensor;

import java.lang.System.Logger.Level;

/**
 * Decides once whether the SIMD kernels can run, the way Apache Lucene's
 * {@code VectorizationProvider} does: the {@code jdk.incubator.vector} module must be in the
 * boot layer and the preferred species must be at least 128 bits wide. The SIMD classes in
 * {@code dev.lanes.tensor.simd} are loaded by name through {@link #load}, so nothing links to
 * the incubator classes when the module is absent; the scalar twins run instead and one
 * warning names the flag that enables SIMD. {@code -Dlanes.simd=false} forces the scalar path.
 */
public final class Vectorization {
    private static final String MODULE = "jdk.incubator.vector";
    private static final boolean ENABLED = detect();

    private Vectorization() {
    }

    /** True when the SIMD kernels are in use. */
    public static boolean enabled() {
        return ENABLED;
    }

    /**
     * An instance of the SIMD class {@code simdClass} when SIMD is enabled, else {@code scalar}.
     * The class must have a public no-argument constructor and implement {@code type}.
     */
    public static <T> T load(Class<T> type, String simdClass, T scalar) {
        if (!ENABLED) {
            return scalar;
        }
        try {
            return type.cast(Class.forName(simdClass).getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load SIMD kernel class " + simdClass, e);
        }
    }

    /** One line for logs and benchmark headers: SIMD width or why it is off. */
    public static String describe() {
        if (!ENABLED) {
            return "scalar kernels (SIMD off)";
        }
        return "SIMD " + load(Probe.class, "dev.lanes.tensor.simd.SpeciesProbe", () -> 0).bits() + "-bit";
    }

    /** Implemented by {@code simd.SpeciesProbe}; tells the preferred vector width in bits. */
    public interface Probe {
        int bits();
    }

    private static boolean detect() {
        System.Logger log = System.getLogger("dev.lanes.tensor");
        if ("false".equalsIgnoreCase(System.getProperty("lanes.simd", "true"))) {
            log.log(Level.INFO, "lanes.simd=false: Lanes runs its scalar kernels");
            return false;
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            log.log(Level.WARNING, MODULE + " is not available, so Lanes runs its scalar kernels. "
                    + "Add --add-modules " + MODULE + " to the java command line for SIMD kernels.");
            return false;
        }
        try {
            Probe probe = (Probe) Class.forName("dev.lanes.tensor.simd.SpeciesProbe").getConstructor().newInstance();
            if (probe.bits() < 128) {
                log.log(Level.WARNING, "the preferred vector width is " + probe.bits()
                        + " bits; Lanes runs its scalar kernels");
                return false;
            }
            return true;
        } catch (ReflectiveOperationException | LinkageError e) {
            log.log(Level.WARNING, "cannot initialise " + MODULE + " (" + e + "); Lanes runs its scalar kernels");
            return false;
        }
    }
}
