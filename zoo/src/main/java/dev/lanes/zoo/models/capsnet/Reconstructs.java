package dev.lanes.zoo.models.capsnet;

import dev.lanes.nn.Var;

/** A model that can redraw its input from what it recognised (CapsNet's decoder); used by {@code lanes predict}. */
public interface Reconstructs {
    /** Images {@code [B, C, H, W]} in {@code [0, 1]} redrawn from the longest capsule of each. */
    Var reconstruct(Var images);
}
