package dev.lanes.tensor;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A user who forgets {@code --add-modules jdk.incubator.vector} still gets correct results
 * from the scalar kernels, and one warning that names the flag.
 */
class GemmWithoutVectorModuleTest {
    @Test
    void childJvmWithoutTheVectorModuleMultipliesCorrectlyAndWarnsOnce() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        String cp = location(Gemm.class) + File.pathSeparator + location(GemmWithoutVectorModuleMain.class);
        Process proc = new ProcessBuilder(List.of(java, "-cp", cp, GemmWithoutVectorModuleMain.class.getName()))
                .redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, proc.exitValue(), out);
        assertTrue(out.contains("simd: false"), out);
        assertTrue(out.contains("kernel: scalar"), out);
        double maxErr = Double.parseDouble(out.lines().filter(l -> l.startsWith("max error: ")).findFirst()
                .orElseThrow(() -> new AssertionError(out)).substring("max error: ".length()));
        assertTrue(maxErr < 1e-4, out);
        long flagMentions = out.lines().filter(l -> l.contains("--add-modules jdk.incubator.vector")).count();
        assertEquals(1, flagMentions, "exactly one warning naming the flag:\n" + out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("WARNING") && l.contains("--add-modules jdk.incubator.vector")),
                out);
    }

    private static String location(Class<?> c) throws Exception {
        return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    }
}
