package dev.lanes.zoo.cli;

import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code lanes models}: the zoo, with parameter counts, natural data sets and default recipes. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = "List the models of the zoo with their parameter counts, data sets and default recipes.")
final class ModelsCommand implements Callable<Integer> {
    @Option(names = "--recipes", description = "Also list the named recipes.")
    boolean recipes;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        String fmt = "%-16s %12s  %-16s %-14s %s%n";
        out.printf(fmt, "model", "parameters", "data set", "recipe", "description");
        for (ModelSpec m : Zoo.models()) {
            out.printf(fmt, m.name(), String.format("%,d", m.parameterCount()), m.dataset(), m.recipe(), m.description());
        }
        if (recipes) {
            out.println();
            out.printf("%-16s %s%n", "recipe", "settings");
            for (Recipe r : Zoo.recipes()) {
                out.printf("%-16s %s%n", r.name(), r.summary() + (r.description().isEmpty() ? "" : " (" + r.description()
                        + ")"));
            }
        }
        out.flush();
        return LanesCli.EXIT_OK;
    }
}
