package dev.lanes.zoo;

import dev.lanes.nn.Module;

/** Builds a model for an input shape and class count, its weights drawn from {@code seed}. */
@FunctionalInterface
public interface ModelFactory {
    Module create(ModelInput input, long seed);
}
