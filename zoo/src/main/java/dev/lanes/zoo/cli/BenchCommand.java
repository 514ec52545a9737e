package dev.lanes.zoo.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code lanes bench}: quick side-by-side measurements; each kernel family is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Lanes kernels next to a native baseline, in the same process.",
        subcommands = {BenchGemmCommand.class, BenchConvCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
