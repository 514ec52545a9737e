package dev.lanes.zoo.cli;

import dev.lanes.nn.io.CorruptFileException;
import dev.lanes.tensor.Parallel;
import dev.lanes.tensor.Vectorization;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.NoSuchFileException;
import java.io.PrintWriter;

/**
 * The {@code lanes} program. Exit codes: 0 success, 2 bad arguments or bad input (one clear
 * line; the stack trace only with {@code --verbose}), 1 any other failure.
 */
@Command(name = "lanes", mixinStandardHelpOptions = true, versionProvider = LanesCli.Version.class,
        description = "Pure-Java deep learning on CPUs: train, evaluate and benchmark models.",
        subcommands = {CommandLine.HelpCommand.class, FetchCommand.class, TrainCommand.class, EvalCommand.class,
            PredictCommand.class, ModelsCommand.class, SummaryCommand.class, BenchCommand.class})
public final class LanesCli implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_BAD_INPUT = 2;

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces for errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code = execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        Parallel.shutdown();
        System.exit(code);
    }

    /** Runs the program with the given streams and returns its exit code (used by the tests). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        LanesCli root = new LanesCli();
        CommandLine cmd = new CommandLine(root);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExitCodeExceptionMapper(LanesCli::exitCodeOf);
        cmd.setParameterExceptionHandler((ex, a) -> {
            err.println("lanes: " + ex.getMessage());
            err.println("Try 'lanes " + ex.getCommandLine().getCommandName() + " --help' for usage.");
            return EXIT_BAD_INPUT;
        });
        cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("lanes: " + messageOf(ex));
            if (root.verbose) {
                ex.printStackTrace(err);
            }
            err.flush();
            return exitCodeOf(ex);
        });
        return cmd.execute(args);
    }

    static int exitCodeOf(Throwable t) {
        if (t instanceof IllegalArgumentException || t instanceof CorruptFileException
                || t instanceof NoSuchFileException || t instanceof CommandLine.ParameterException) {
            return EXIT_BAD_INPUT;
        }
        return EXIT_FAILURE;
    }

    private static String messageOf(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.toString() : m;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Package p = LanesCli.class.getPackage();
            String v = p.getImplementationVersion() == null ? "dev" : p.getImplementationVersion();
            return new String[] {"lanes " + v, "Java " + Runtime.version() + ", " + Vectorization.describe()
                    + ", " + Parallel.threads() + " threads"};
        }
    }
}
