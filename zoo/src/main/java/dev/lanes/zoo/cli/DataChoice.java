package dev.lanes.zoo.cli;

import dev.lanes.nn.data.Datasets;
import dev.lanes.zoo.ModelSpec;

import java.nio.file.Path;

/**
 * Which data set a command uses: the one named by {@code --dataset}, else the model's natural
 * one when it is in the data directory, else its synthetic stand-in, with one line saying so.
 * An explicit name is never replaced: a missing or corrupt set then stops the command.
 *
 * @param note the line to print about a fallback, or null
 */
record DataChoice(String dataset, String note) {
    static DataChoice choose(ModelSpec spec, String explicit, Path dataDir) {
        return choose(spec.dataset(), explicit, dataDir);
    }

    /** The same with {@code natural} as the default set (e.g. the one a model's weights were trained on). */
    static DataChoice choose(String natural, String explicit, Path dataDir) {
        if (explicit != null) {
            String name = Datasets.canonicalName(explicit);
            if (!Datasets.isKnown(name)) {
                throw new IllegalArgumentException("unknown data set '" + explicit + "' (known: "
                        + String.join(", ", Datasets.names()) + ")");
            }
            return new DataChoice(name, null);
        }
        if (Datasets.isPresent(natural, dataDir)) {
            return new DataChoice(natural, null);
        }
        String standIn = Datasets.syntheticStandIn(natural);
        return new DataChoice(standIn, natural + " is not in " + dataDir + ", so this uses " + standIn
                + ", its generated stand-in (get the real set with 'lanes fetch " + natural + "' or point --data-dir at it)");
    }
}
