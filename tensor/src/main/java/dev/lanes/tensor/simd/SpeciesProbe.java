package dev.lanes.tensor.simd;

import dev.lanes.tensor.Vectorization;
import jdk.incubator.vector.FloatVector;

/** Loaded by name from {@link Vectorization}; the only way the scalar side learns the vector width. */
public final class SpeciesProbe implements Vectorization.Probe {
    @Override
    public int bits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
