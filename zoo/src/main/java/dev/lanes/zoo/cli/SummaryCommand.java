package dev.lanes.zoo.cli;

import dev.lanes.nn.Module;
import dev.lanes.nn.Summary;
import dev.lanes.zoo.ModelInput;
import dev.lanes.zoo.ModelSpec;
import dev.lanes.zoo.Recipe;
import dev.lanes.zoo.Zoo;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code lanes summary MODEL}: per-layer output shape, parameters and FLOPs, like torchsummary. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = "Show a model's layers with output shapes, parameter counts and FLOPs for one image.")
final class SummaryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A model name (see 'lanes models').")
    String model;

    @Option(names = "--dataset", paramLabel = "NAME",
            description = "Size the model for this data set's images (default: its natural data set).")
    String dataset;

    @Option(names = "--recipe", paramLabel = "R", description = "Recipe whose padding applies (default: the model's).")
    String recipe;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ModelSpec m = Zoo.model(model);
        String ds = dataset == null ? m.dataset() : DataChoice.choose(m, dataset, null).dataset();
        Recipe r = Zoo.recipe(recipe == null ? m.recipe() : recipe);
        ModelInput in = r.input(ds);
        Module net = m.create(in, 0);
        PrintWriter out = spec.commandLine().getOut();
        out.println(m.name() + ": " + m.description());
        out.println("input " + in + " (" + ds + (r.pad() > 0 ? ", padded by " + r.pad() : "") + ")");
        out.println();
        out.print(Summary.table(net, in.batchShape(1)));
        out.flush();
        return LanesCli.EXIT_OK;
    }
}
