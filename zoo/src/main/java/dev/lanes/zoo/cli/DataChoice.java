package dev.lanes.zoo.cli;

import dev.lanes.nn.data.Datasets;
import dev.lanes.nn.data.Split;
import dev.lanes.zoo.ModelSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Which data set a command uses: the one named by {@code --dataset}, else the model's natural
 * one when it is in the data directory, else its synthetic stand-in, with one line saying so.
 * An explicit name is never replaced: a missing or corrupt set then stops the command. Nor is a
 * natural set that is partly there (an interrupted download, a folder with one batch file): that
 * stops the command naming the missing files, since silently training on generated images for
 * hours would be worse than no run.
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
        List<Path> missing = new ArrayList<>(Datasets.missingFiles(natural, Split.TRAIN, dataDir));
        missing.addAll(Datasets.missingFiles(natural, Split.TEST, dataDir));
        int all = Datasets.fileNames(natural, Split.TRAIN).size() + Datasets.fileNames(natural, Split.TEST).size();
        if (missing.size() < all) {
            throw new IllegalArgumentException(natural + " is incomplete in " + dataDir + ": missing "
                    + missing.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + " (get it with 'lanes fetch " + natural + "', or name --dataset "
                    + Datasets.syntheticStandIn(natural) + " for the generated stand-in)");
        }
        String standIn = Datasets.syntheticStandIn(natural);
        return new DataChoice(standIn, natural + " is not in " + dataDir + ", so this uses " + standIn
                + ", its generated stand-in (get the real set with 'lanes fetch " + natural + "' or point --data-dir at it)");
    }
}
