package dev.lanes.zoo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One run of the program in this JVM: exit code, standard output and standard error. */
record CliRun(int code, String out, String err) {
    static CliRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LanesCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The lines of standard error. */
    String[] errLines() {
        return err.isBlank() ? new String[0] : err.strip().split("\n");
    }

    @Override
    public String toString() {
        return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
}
