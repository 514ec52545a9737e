package dev.lanes.nn;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts a {@code main} class of the test class path in a fresh JVM, with the flags the tests
 * run with, for the tests that need a process of their own: one that is killed, or one whose
 * threads and pools must be observed from a clean start.
 */
public final class ChildJvm {
    private ChildJvm() {
    }

    /** What a finished child did: its exit code and everything it printed (stdout and stderr). */
    public record Result(int exitCode, String output) {
    }

    /** A started child; its output goes to a file so that it never blocks on a full pipe. */
    public record Running(Process process, Path log) {
        public String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        /** Waits for the exit; fails when it takes longer than {@code seconds}. */
        public Result await(long seconds) throws IOException, InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("child JVM did not finish in " + seconds + " s; it printed:\n" + output());
            }
            return new Result(process.exitValue(), output());
        }
    }

    /** Starts {@code mainClass} with {@code args} and JVM options {@code jvmOptions}; output to {@code log}. */
    public static Running start(Class<?> mainClass, List<String> jvmOptions, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--add-modules=jdk.incubator.vector");
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-Xmx1g");
        cmd.add("-Djava.awt.headless=true");
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(mainClass.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        return new Running(pb.start(), log);
    }

    /** Runs {@code mainClass} to its end (at most {@code seconds}). */
    public static Result run(Class<?> mainClass, List<String> jvmOptions, Path log, long seconds, String... args)
            throws IOException, InterruptedException {
        return start(mainClass, jvmOptions, log, args).await(seconds);
    }

    /** The test class path: surefire starts its JVM from a manifest-only jar and names the real path here. */
    static String classPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        return String.join(File.pathSeparator, cp.split(File.pathSeparator));
    }
}
